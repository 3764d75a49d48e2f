package org.manifoldlab.bench;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.manifoldlab.actors.attack.AttackPlan;
import org.manifoldlab.actors.attack.AttackRound;
import org.manifoldlab.core.attack.Attack;
import org.manifoldlab.core.attack.AttackEvaluator;
import org.manifoldlab.core.attack.Attacker;
import org.manifoldlab.core.attack.ClipRange;
import org.manifoldlab.core.attack.Fgsm;
import org.manifoldlab.core.attack.LabelTarget;
import org.manifoldlab.core.attack.Pgd;
import org.manifoldlab.core.attack.ProbeBatch;
import org.manifoldlab.core.attack.RobustnessEvaluation;
import org.manifoldlab.core.attack.RobustnessRecord;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.Activation;
import org.manifoldlab.core.nn.Adam;
import org.manifoldlab.core.nn.EpochMetrics;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.nn.PlainTrainer;
import org.manifoldlab.core.nn.TrainingMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Accuracy per layer under Gaussian noise, FGSM and PGD for the 784-5x1000 ReLU network trained
 * 10 epochs (batch 64, Adam 1e-3, PlainTrainer) on MNIST-10k, local and backprop, on the 2,000
 * test digits; then the seconds of the whole noise + FGSM grid, and the elementwise kernels.
 * Run: {@code bench/run AttackBenchmark [epochs [local,backprop [timing]]]} ("timing" skips the
 * training and the tables and times an untrained network: the work does not depend on the weights).
 */
public final class AttackBenchmark {

    private static final int[] WIDTHS = {1000, 1000, 1000, 1000, 1000};
    private static final int[] LAYERS = {1, 2, 3, 4, 5};
    private static final long SEED = 1;

    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        String[] modes = args.length > 1 ? args[1].split(",") : new String[] {"local", "backprop"};
        boolean timingOnly = args.length > 2 && args[2].equals("timing");
        Dataset.Split data = DataSources.load("mnist-10k", SEED, 0.2);
        Dataset probes = data.test().sample(SEED, 2000);
        List<Attack> grid = new ArrayList<>(RobustnessEvaluation.gaussian(RobustnessEvaluation.DEFAULT_SIGMAS));
        grid.addAll(RobustnessEvaluation.fgsm(LabelTarget.LABEL, RobustnessEvaluation.DEFAULT_EPSILONS));
        List<Attack> pgd = List.of(Pgd.standard(0.1, 10), new Pgd(0.1, 0.01, 10, true, LabelTarget.LABEL),
                new Fgsm(0.1, LabelTarget.PREDICTION));
        Network timed = Network.create(new Network.Shape(784, WIDTHS, 10, Activation.RELU, 1.0), null, DataType.FLOAT, SEED);
        for (String mode : timingOnly ? new String[0] : modes) {
            timed = trainAndTabulate(mode, epochs, data.train(), probes, grid, pgd);
        }
        timeGrid(timed, probes, grid);
        timeKernels();
    }

    static Network trainAndTabulate(String mode, int epochs, Dataset train, Dataset probes, List<Attack> grid, List<Attack> pgd) {
        TrainingMode training = TrainingMode.valueOf(mode.toUpperCase());
        Network net = Network.create(new Network.Shape(784, WIDTHS, 10, Activation.RELU, 1.0), new Adam(1e-3), DataType.FLOAT, SEED, training);
        PlainTrainer trainer = new PlainTrainer(net, training, 64, epochs, SEED);
        long t0 = System.nanoTime();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            trainer.trainEpoch(train, epoch);
        }
        EpochMetrics test = PlainTrainer.evaluate(net, probes, 500, epochs, "test");
        System.out.printf("%n== %s: 784-5x1000 ReLU, %d epochs, batch 64, Adam 1e-3, seed %d, trained in %.1f s; test accuracy:",
                mode, epochs, SEED, (System.nanoTime() - t0) / 1e9);
        test.layers().forEach(m -> System.out.printf(" %.4f", m.accuracy()));
        System.out.println();
        t0 = System.nanoTime();
        RobustnessEvaluation.Result result = RobustnessEvaluation.run(net, probes, grid, SEED);
        double gridSeconds = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        RobustnessEvaluation.Result extra = RobustnessEvaluation.run(net, probes, pgd, SEED);
        double extraSeconds = (System.nanoTime() - t0) / 1e9;
        printTable(result, net.depth());
        printTable(extra, net.depth());
        System.out.printf("(noise + FGSM grid %.2f s; the PGD and FGSM-on-prediction rows %.2f s)%n", gridSeconds, extraSeconds);
        return net;
    }

    /** One line per attack and strength: accuracy at layers 1..L, then the measured norms (linf max, mean l2). */
    static void printTable(RobustnessEvaluation.Result result, int depth) {
        System.out.printf("%naccuracy per layer: right both clean and perturbed, %d probes, batch %d, clip %s, seed %d%n",
                result.samples(), result.batchSize(), result.clip(), result.seed());
        StringBuilder header = new StringBuilder(String.format("%-58s", "attack"));
        StringBuilder clean = new StringBuilder(String.format("%-58s", "clean"));
        for (int l = 1; l <= depth; l++) {
            header.append(String.format("  layer %d", l));
            clean.append(String.format("  %7.4f", result.clean(l)));
        }
        System.out.println(header + "     linf      l2");
        System.out.println(clean);
        List<RobustnessRecord> records = result.records();
        for (int i = 0; i < records.size(); i += depth) {
            StringBuilder line = new StringBuilder(String.format("%-58s", records.get(i).attack().describe()));
            double linf = 0;
            double l2 = 0;
            for (int l = 0; l < depth; l++) {
                RobustnessRecord r = records.get(i + l);
                line.append(String.format("  %7.4f", r.robustAccuracy()));  // right clean and perturbed, as PERFORMANCE.md reports
                linf = Math.max(linf, r.linf());
                l2 += r.l2() / depth;
            }
            System.out.println(line + String.format("  %7.4f  %6.3f", linf, l2));
        }
    }

    /**
     * The whole noise + FGSM grid (6 sigmas, 6 eps, 5 layers, 2,000 probes): one thread with
     * both cores in BLAS, as core's plain loop runs it; then two workers with one BLAS thread
     * each, splitting the batches as attacker actors would, with their tallies merged.
     */
    static void timeGrid(Network net, Dataset probes, List<Attack> grid) throws Exception {
        System.out.printf("%n== time of the noise + FGSM grid: 6 sigmas and 6 eps, 5 layers, %d probes, 2 cores%n", probes.size());
        Harness.header();
        List<RobustnessRecord> reference = null;
        for (int batch : new int[] {250, 500, 1000, 2000}) {
            List<List<RobustnessRecord>> out = new ArrayList<>();
            Harness.measure("one thread, 2 BLAS threads, batch " + batch, "s", 1, 5, () -> {
                long t0 = System.nanoTime();
                out.add(RobustnessEvaluation.run(net, probes, grid, LAYERS, ClipRange.PIXELS, batch, SEED).records());
                return (System.nanoTime() - t0) / 1e9;
            });
            reference = batch == RobustnessEvaluation.DEFAULT_BATCH ? out.get(0) : reference;
        }
        int blasThreads = Nd4j.factory().blas().getMaxThreads();
        Nd4j.factory().blas().setMaxThreads(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<List<RobustnessRecord>> out = new ArrayList<>();
            Harness.measure("two workers, 1 BLAS thread each, batch " + RobustnessEvaluation.DEFAULT_BATCH, "s", 1, 5, () -> {
                long t0 = System.nanoTime();
                out.add(twoWorkers(pool, net, probes, grid));
                return (System.nanoTime() - t0) / 1e9;
            });
            // The split must not change a bit; the BLAS thread count may (its partition of a gemm
            // changes rounding), so the reference runs with one BLAS thread too.
            List<RobustnessRecord> sequential = RobustnessEvaluation.run(net, probes, grid, LAYERS, ClipRange.PIXELS,
                    RobustnessEvaluation.DEFAULT_BATCH, SEED).records();
            System.out.println("two workers' merged records equal one thread's (1 BLAS thread): " + out.get(0).equals(sequential)
                    + "; equal one thread's with 2 BLAS threads: " + out.get(0).equals(reference)
                    + "; accuracies equal: " + accuracies(out.get(0)).equals(accuracies(reference)));
            // the attack round as an experiment runs it: attacker and evaluator actors on the compute dispatcher
            ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bench");
            try {
                List<List<RobustnessRecord>> rounds = new ArrayList<>();
                Harness.measure("attack round (actors), 2 attackers, jobs of " + AttackPlan.BATCH_ROWS, "s", 1, 5, () -> {
                    long t0 = System.nanoTime();
                    rounds.add(actorRound(system, net, probes, grid, 2));
                    return (System.nanoTime() - t0) / 1e9;
                });
                List<RobustnessRecord> sameBatches = RobustnessEvaluation.run(net, probes, grid, LAYERS, ClipRange.of(probes),
                        AttackPlan.BATCH_ROWS, SEED).records();
                System.out.println("the round's records equal one thread's in batches of " + AttackPlan.BATCH_ROWS + " (1 BLAS thread): "
                        + rounds.get(0).equals(sameBatches));
            } finally {
                system.terminate();
            }
        } finally {
            pool.shutdown();
            Nd4j.factory().blas().setMaxThreads(blasThreads);
        }
    }

    private static final AtomicInteger ROUNDS = new AtomicInteger();

    /**
     * One {@link AttackRound} in the given system with the given attackers, as an analysis point
     * starts it (the snapshot, the probes, the seed); its records.
     */
    static List<RobustnessRecord> actorRound(ActorSystem<Void> system, Network net, Dataset probes, List<Attack> attacks, int workers) {
        CompletableFuture<AttackRound.Finished> finished = new CompletableFuture<>();
        String name = "round-" + ROUNDS.incrementAndGet();
        ActorRef<AttackRound.Finished> reply = system.systemActorOf(Behaviors.receive(AttackRound.Finished.class).onAnyMessage(f -> {
            finished.complete(f);
            return Behaviors.stopped();
        }).build(), name + "-reply", Props.empty());
        // restarts and progress reports are not needed here (a bench's few rounds leave these idle actors behind)
        ActorRef<Object> ignored = system.systemActorOf(Behaviors.ignore(), name + "-events", Props.empty());
        system.systemActorOf(AttackRound.create(net, probes, SEED, attacks, workers, 0, reply, ignored.unsafeUpcast(), ignored.unsafeUpcast()),
                name, Props.empty());
        AttackRound.Finished f;
        try {
            f = finished.get(10, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException("attack round " + name + " gave no answer", e);
        }
        if (f.failure() != null) {
            throw new IllegalStateException("attack round failed: " + f.failure());
        }
        return f.records();
    }

    private static List<Double> accuracies(List<RobustnessRecord> records) {
        return records.stream().flatMap(r -> java.util.stream.Stream.of(r.accuracy(), r.robustAccuracy())).toList();
    }

    /** Batches split by parity between two attacker/evaluator pairs; tallies merged. */
    static List<RobustnessRecord> twoWorkers(ExecutorService pool, Network net, Dataset probes, List<Attack> grid) {
        List<ProbeBatch> batches = ProbeBatch.split(probes, RobustnessEvaluation.DEFAULT_BATCH, DataType.FLOAT);
        List<Future<AttackEvaluator>> parts = new ArrayList<>();
        for (int part = 0; part < 2; part++) {
            int mine = part;
            parts.add(pool.submit(() -> {
                Attacker attacker = new Attacker(net.frozenCopy(), ClipRange.PIXELS, SEED);
                AttackEvaluator evaluator = new AttackEvaluator(net.frozenCopy(), ClipRange.PIXELS, SEED);
                for (ProbeBatch batch : batches) {
                    if (batch.index() % 2 == mine) {
                        evaluator.clean(batch);
                        attacker.perturbAll(batch, grid, LAYERS, (a, l, x) -> evaluator.tally(batch, a, l, x));
                    }
                }
                return evaluator;
            }));
        }
        try {
            AttackEvaluator first = parts.get(0).get();
            first.counts().merge(parts.get(1).get().counts());
            return first.records();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** FGSM's step and the norms at 500 x 784 floats: a Java pass over the buffers against ND4J ops. */
    static void timeKernels() {
        System.out.println("\n== elementwise kernels, 500 x 784 floats, ms a call");
        Harness.header();
        INDArray x = Nd4j.rand(DataType.FLOAT, 500, 784).dup('c');
        INDArray g = Nd4j.randn(DataType.FLOAT, new long[] {500, 784}).dup('c');
        INDArray out = Nd4j.create(DataType.FLOAT, new long[] {500, 784}, 'c');
        Fgsm fgsm = new Fgsm(0.1);
        double[] l2 = new double[500];
        double[] linf = new double[500];
        Harness.measure("FGSM x + eps sign(g), clip: ND4J ops (core)", "ms", 3, 7, () -> perCall(() -> fgsm.perturb(x, g, ClipRange.PIXELS, out)));
        Harness.measure("FGSM x + eps sign(g), clip: one Java pass", "ms", 3, 7, () -> perCall(() -> javaFgsm(x, g, 0.1f, out)));
        Harness.measure("norms of x' - x per row: one Java pass (core)", "ms", 3, 7, () -> perCall(() -> javaNorms(x, g, l2, linf)));
        Harness.measure("norms of x' - x per row: ND4J sub, norm2, normmax", "ms", 3, 7, () -> perCall(() -> {
            g.sub(x, out);
            out.norm2(1);
            out.normmax(1);
        }));
    }

    private static double perCall(Runnable r) {
        long t0 = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            r.run();
        }
        return (System.nanoTime() - t0) / 50 / 1e6;
    }

    static void javaFgsm(INDArray x, INDArray g, float eps, INDArray out) {
        FloatBuffer xb = x.data().asNioFloat();
        FloatBuffer gb = g.data().asNioFloat();
        FloatBuffer ob = out.data().asNioFloat();
        for (int i = 0, n = (int) x.length(); i < n; i++) {
            ob.put(i, Math.min(1f, Math.max(0f, xb.get(i) + eps * Math.signum(gb.get(i)))));
        }
    }

    static void javaNorms(INDArray x, INDArray p, double[] l2, double[] linf) {
        FloatBuffer xf = x.data().asNioFloat();
        FloatBuffer pf = p.data().asNioFloat();
        int cols = x.columns();
        for (int r = 0; r < l2.length; r++) {
            double sum = 0;
            double max = 0;
            for (int c = 0, i = r * cols; c < cols; c++, i++) {
                double d = (double) pf.get(i) - xf.get(i);
                sum += d * d;
                max = Math.max(max, Math.abs(d));
            }
            l2[r] = Math.sqrt(sum);
            linf[r] = max;
        }
    }
}
