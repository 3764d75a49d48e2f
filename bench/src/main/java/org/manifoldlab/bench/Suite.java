package org.manifoldlab.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.manifoldlab.actors.run.Admission;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.core.Kernels;
import org.manifoldlab.core.attack.Attack;
import org.manifoldlab.core.attack.ClipRange;
import org.manifoldlab.core.attack.LabelTarget;
import org.manifoldlab.core.attack.Pgd;
import org.manifoldlab.core.attack.RobustnessEvaluation;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.Activation;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.nn.TrainingMode;
import org.manifoldlab.core.spectrum.CovarianceAccumulator;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Every hot path measured the same way, in one run, ending with one table: the gemm ceiling,
 * training throughput (plain loop and actor pipeline), one layer's spectrum against numpy, the
 * attack grid, PGD, concurrent experiments, and the peak memory of the default run.
 * {@code lab bench [--quick]} or {@code bench/run Suite [--quick]}.
 */
public final class Suite {

    private final boolean quick;
    private final PrintStream out;
    private final List<String[]> table = new ArrayList<>();

    public Suite(boolean quick, PrintStream out) {
        this.quick = quick;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        new Suite(args.length > 0 && args[0].equals("--quick"), System.out).run();
    }

    private void row(String figure, String value, String note) {
        table.add(new String[] {figure, value, note});
    }

    public void run() throws Exception {
        Dataset.Split data = DataSources.load("mnist-10k", 1, 0.2);
        double ceiling = TrainingThroughput.gemmCeiling();
        row("gemm 256x784 by 784x1000 float on 2 cores", String.format("%.1f GFLOP/s", ceiling),
                "the ceiling: the best loop of 2 BLAS threads or of two gemms at once; kernels " + System.getenv().getOrDefault("OPENBLAS_CORETYPE", "chosen by OpenBLAS"));
        double flops = TrainingThroughput.flopsPerSample(784, new int[] {1000, 1000, 1000, 1000, 1000}, 10);
        int[] batches = quick ? new int[] {64} : new int[] {64, 256};
        for (int batch : batches) {
            double s = TrainingThroughput.plainLoop(data.train(), batch, TrainingMode.LOCAL).median();
            row("plain loop 784-5x1000 local, batch " + batch + ", 2 BLAS threads", String.format("%.0f samples/s", s),
                    String.format("%.0f%% of ceiling", 100 * s * flops / 1e9 / ceiling));
        }
        spectrum();
        Kernels.singleThreaded();
        Map<Integer, Double> fiveGroups = new LinkedHashMap<>();
        for (int batch : batches) {
            for (String groups : List.of("[[1, 2, 3, 4, 5]]", "[[1, 2], [3, 4, 5]]", "[[1], [2], [3], [4], [5]]")) {
                Harness.Figure f = Harness.figure("actor pipeline, batch " + batch + ", groups " + groups, "samples/s",
                        PipelineThroughput.epochRates(batch, groups, PipelineThroughput.WIDTHS, PipelineThroughput.TEST_FRACTION, 0,
                                quick ? 4 : 5));
                double s = f.median();
                long count = groups.chars().filter(c -> c == '[').count() - 1;
                row("actor pipeline, batch " + batch + ", " + count + " groups", String.format("%.0f samples/s", s),
                        String.format("%.0f%% of ceiling; epochs %.0f-%.0f", 100 * s * flops / 1e9 / ceiling, f.min(), f.max()));
                if (count == 5) {
                    fiveGroups.put(batch, s);
                }
            }
        }
        peer(data.train(), fiveGroups);
        // After the pipeline: the attack workers' frozen copies leave native garbage that a
        // pipeline measured next would pay for in page faults until the heap is collected.
        attacks(data);
        concurrency();
        if (!quick) {
            peakMemory();
        }
        out.println();
        out.printf("%-58s %-18s %s%n", "figure", "value", "note");
        for (String[] r : table) {
            out.printf("%-58s %-18s %s%n", r[0], r[1], r[2]);
        }
    }

    /**
     * The PyTorch peer right after the project's own figures, on the same training split, at
     * each batch: 1 and 2 threads, the better one against the 5-group pipeline.
     */
    private void peer(Dataset train, Map<Integer, Double> pipeline) throws Exception {
        Optional<Peer> peer = Peer.find(train);
        if (peer.isEmpty()) {
            out.println("the PyTorch peer is not installed; to measure it side by side: " + Peer.INSTALL);
            row("PyTorch peer", "-", "not installed: " + Peer.INSTALL);
            return;
        }
        for (Map.Entry<Integer, Double> e : pipeline.entrySet()) {
            List<Peer.Figure> figures = peer.get().measureThreads(e.getKey(), new int[] {1000, 1000, 1000, 1000, 1000}, quick ? 2 : 3);
            for (Peer.Figure f : figures) {
                out.printf("PyTorch peer, batch %d, %d thread(s): %.0f samples/s (min %.0f, max %.0f), %s%n", f.batch(), f.threads(),
                        f.median(), f.min(), f.max(), f.settings());
                row("PyTorch peer, batch " + f.batch() + ", " + f.threads() + " thread" + (f.threads() == 1 ? "" : "s"),
                        String.format("%.0f samples/s", f.median()), "");
            }
            Peer.Figure best = Peer.best(figures);
            row("actor pipeline (5 groups) / peer's best, batch " + e.getKey(), String.format("%.2f", e.getValue() / best.median()),
                    "peer's best: " + best.threads() + " thread" + (best.threads() == 1 ? "" : "s"));
        }
    }

    private void spectrum() throws Exception {
        float[] x = SpectrumBenchmark.layerTwoActivations();
        CovarianceAccumulator acc = new CovarianceAccumulator(1000);
        int repeats = quick ? 3 : 7;
        Harness.Figure core = Harness.measure("spectrum of 10,000 x 1,000: accumulate + eigenvalues + fit", "ms", 1, repeats,
                () -> SpectrumBenchmark.millis(() -> SpectrumBenchmark.analyseArrays(acc, x, 500)));
        Map<String, String> numpy;
        try {
            numpy = SpectrumBenchmark.runNumpy(x, repeats);
        } catch (Exception e) {
            row("spectrum of 10,000 x 1,000", String.format("%.0f ms", core.median()), "numpy not available: " + e.getMessage());
            return;
        }
        double numpyMs = SpectrumBenchmark.parseFigure(numpy.get("total_ms"))[1];
        row("spectrum of 10,000 x 1,000 (core / numpy)", String.format("%.0f / %.0f ms", core.median(), numpyMs),
                String.format("ratio %.2f (target <= 1.0)", core.median() / numpyMs));
    }

    /**
     * The attack grid and PGD as an attack round runs them: two workers of one BLAS thread each,
     * splitting the probe batches (call after {@link Kernels#singleThreaded}).
     */
    private void attacks(Dataset.Split data) throws Exception {
        Dataset probes = data.test().sample(1, 2000);
        Network net = Network.create(new Network.Shape(784, new int[] {1000, 1000, 1000, 1000, 1000}, 10, Activation.RELU, 1.0),
                null, DataType.FLOAT, 1);
        List<Attack> grid = new ArrayList<>(RobustnessEvaluation.gaussian(RobustnessEvaluation.DEFAULT_SIGMAS));
        grid.addAll(RobustnessEvaluation.fgsm(LabelTarget.LABEL, RobustnessEvaluation.DEFAULT_EPSILONS));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            Harness.Figure g = Harness.measure("attack grid: 6 sigmas + 6 eps, 5 layers, 2,000 probes, 2 workers", "s", 1, quick ? 3 : 5,
                    () -> seconds(() -> AttackBenchmark.twoWorkers(pool, net, probes, grid)));
            row("attack grid (Gaussian 6 sigmas, FGSM 6 eps, 5 layers, 2,000)", String.format("%.1f s", g.median()),
                    String.format("target < 3.0 s; min %.1f, max %.1f; 2 workers, 1 BLAS thread each", g.min(), g.max()));
            org.apache.pekko.actor.typed.ActorSystem<Void> system = org.apache.pekko.actor.typed.ActorSystem.create(
                    org.apache.pekko.actor.typed.javadsl.Behaviors.empty(), "suite-attacks");
            try {
                Harness.Figure r = Harness.measure("attack grid as an attack round (actors), 2 attackers", "s", 1, quick ? 3 : 5,
                        () -> seconds(() -> AttackBenchmark.actorRound(system, net, probes, grid, 2)));
                row("attack grid as an attack round (actors)", String.format("%.1f s", r.median()),
                        String.format("target < 3.0 s; min %.1f, max %.1f; 2 attackers and their evaluators on the compute dispatcher",
                                r.min(), r.max()));
            } finally {
                system.terminate();
            }
            Harness.Figure p = Harness.measure("PGD eps 0.1, 10 steps, 5 layers, 2,000 probes, 2 workers", "s", 0, quick ? 1 : 3,
                    () -> seconds(() -> AttackBenchmark.twoWorkers(pool, net, probes, List.of(Pgd.standard(0.1, 10)))));
            row("PGD eps 0.1, 10 steps, 5 layers, 2,000 probes", String.format("%.1f s", p.median()),
                    String.format("min %.1f, max %.1f; 2 workers, 1 BLAS thread each", p.min(), p.max()));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Four small experiments (784-3x500, 2 epochs) in a row, 4 at once, and as the automatic admission places them, alternating. */
    private void concurrency() throws Exception {
        List<ExperimentSpec> specs = ConcurrencyBenchmark.fourSmallExperiments();
        ConcurrencyBenchmark.schedule(specs, Admission.fixed(1));
        Map<String, List<ConcurrencyBenchmark.Timing>> timings = new LinkedHashMap<>();
        for (int r = 0; r < (quick ? 2 : 4); r++) {
            for (String mode : new String[] {"1", "4", "auto"}) {
                timings.computeIfAbsent(mode, k -> new ArrayList<>()).add(ConcurrencyBenchmark.schedule(specs, ConcurrencyBenchmark.admission(mode)));
            }
        }
        double one = ConcurrencyBenchmark.median(timings.get("1"), ConcurrencyBenchmark.Timing::wall);
        double four = ConcurrencyBenchmark.median(timings.get("4"), ConcurrencyBenchmark.Timing::wall);
        double auto = ConcurrencyBenchmark.median(timings.get("auto"), ConcurrencyBenchmark.Timing::wall);
        out.printf("4 experiments: in a row %.1f s, 4 at once %.1f s, automatic admission %.1f s%n", one, four, auto);
        row("4 experiments 784-3x500, 2 epochs: in a row / 4 at once / auto", String.format("%.1f / %.1f / %.1f s", one, four, auto),
                String.format("ratios %.2f / %.2f (target <= 1)", four / one, auto / one));
    }

    /** Peak resident memory of the default `lab run`, from GNU time, in its own process. */
    private void peakMemory() throws Exception {
        Path jar = Path.of("cli/target/lab.jar");
        if (!Files.exists(jar) || !Files.isExecutable(Path.of("/usr/bin/time"))) {
            row("peak RSS of ./lab run", "-", "needs cli/target/lab.jar and /usr/bin/time");
            return;
        }
        Path runs = Files.createTempDirectory("bench-rss");
        Path report = runs.resolve("time.txt");
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/time", "-f", "%M %e", "-o", report.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-jar", jar.toString(),
                "run", "--runs-dir", runs.toString());
        pb.environment().put("LAB_CONSOLE_LEVEL", "WARN");
        pb.redirectErrorStream(true).redirectOutput(runs.resolve("run.log").toFile());
        int code = pb.start().waitFor();
        String[] kbAndSeconds = Files.readString(report).trim().split("\\s+");
        row("./lab run (experiments/quick.yaml): peak RSS, wall time",
                String.format("%.0f MB, %s s", Double.parseDouble(kbAndSeconds[kbAndSeconds.length - 2]) / 1024,
                        kbAndSeconds[kbAndSeconds.length - 1]), code == 0 ? "target < 2 GB" : "exit " + code);
    }

    private static double seconds(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e9;
    }
}
