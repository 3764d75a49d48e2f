package org.manifoldlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.manifoldlab.actors.Answer;
import org.manifoldlab.actors.run.ExperimentSupervisor;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.config.Specs;
import org.manifoldlab.config.TrainingSpec;
import org.manifoldlab.core.Kernels;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.TrainingMode;
import org.manifoldlab.rundir.RunDirectory;

/**
 * Training throughput of the actor pipeline, 784-5x1000, local errors, MNIST-10k, against core's
 * plain loop in the same run: samples/s of epochs 2..E-1, read from the run's own epoch-trained
 * events. Epoch 1 warms up. The last epoch is left out because its end is the only one that does
 * not wait behind the next epoch's batches (each trainer answers for an epoch's end state after
 * the batches of the next epoch queued before the request), so its rate reads high. Run: {@code bench/run PipelineThroughput [batch]}.
 *
 * <p>{@code bench/run PipelineThroughput batch windows W1,W2,... [rounds]} measures the 5-group
 * pipeline at each credit window (training.pipelineWindow: batches in flight at once), the
 * windows interleaved in each of {@code rounds} rounds (default 3), so that the host's drift
 * falls on all of them alike.
 */
public final class PipelineThroughput {

    /** The run directory of the last {@link #pipeline} call (for its checkpoint sizes). */
    static Path lastRun;
    /** The last {@link #epochRates} run's samples/s over all its epochs, from experiment-started to the last epoch-trained. */
    static double lastWholeRate;

    public static void main(String[] args) throws Exception {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        if (args.length > 2 && args[1].equals("windows")) {
            windows(batch, java.util.Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray(),
                    args.length > 3 ? Integer.parseInt(args[3]) : 3);
            return;
        }
        Dataset train = DataSources.load("mnist-10k", 1, 0.2).train();
        Harness.header();
        Harness.Figure twoThreads = TrainingThroughput.plainLoop(train, batch, TrainingMode.LOCAL);
        Kernels.singleThreaded();
        Harness.Figure oneThread = TrainingThroughput.plainLoop(train, batch, TrainingMode.LOCAL);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"plain loop, 2 BLAS threads", String.format("%.0f", twoThreads.median())});
        rows.add(new String[] {"plain loop, 1 BLAS thread", String.format("%.0f", oneThread.median())});
        for (String groups : List.of("[[1, 2, 3, 4, 5]]", "[[1, 2], [3, 4, 5]]", "[[1], [2], [3], [4], [5]]")) {
            double rate = pipeline(batch, groups);
            rows.add(new String[] {"actor pipeline, groups " + groups, String.format("%.0f", rate)});
            System.out.printf("actor pipeline, batch %d, groups %-28s %8.0f samples/s  (%.2fx the 2-thread plain loop)%n",
                    batch, groups, rate, rate / twoThreads.median());
        }
    }

    /**
     * The 5-group pipeline at each credit window, interleaved: each round runs every window once.
     * A run's figure is its whole training, every epoch's samples from experiment-started to the
     * last epoch-trained (the first epoch's warm-up included alike): with many batches in flight
     * a trainer answers for an epoch's end state only after the next epoch's batches queued
     * before the request, so the epoch-trained events come late by varying amounts, and the
     * rate between two of them is no measure of training.
     */
    private static void windows(int batch, int[] windows, int rounds) throws Exception {
        String groups = "[[1], [2], [3], [4], [5]]";
        double[][] rates = new double[windows.length][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < windows.length; i++) {
                double[] epochs = epochRates(batch, groups, WIDTHS, TEST_FRACTION, 0, 5, windows[i]);
                rates[i][round] = lastWholeRate;
                System.out.printf("round %d, window %d: %.0f samples/s over 5 epochs (between epoch-trained events %s)%n", round + 1,
                        windows[i], rates[i][round], java.util.Arrays.toString(java.util.Arrays.stream(epochs).mapToLong(Math::round).toArray()));
            }
        }
        Harness.header();
        for (int i = 0; i < windows.length; i++) {
            Harness.figure("actor pipeline, batch " + batch + ", 5 groups, window " + windows[i] + " (" + rounds + " runs)", "samples/s",
                    rates[i]);
        }
    }

    /** Runs a 5-epoch experiment (analysis only at the end, no attacks); the median samples/s of epochs 2..4. */
    static double pipeline(int batch, String groups) throws Exception {
        return pipeline(batch, groups, 0, 5);
    }

    /** The same with checkpoints every {@code checkpointEvery} epochs (0: none), over {@code epochs} epochs. */
    static double pipeline(int batch, String groups, int checkpointEvery, int epochs) throws Exception {
        return Harness.figure("actor pipeline, batch " + batch + ", groups " + groups, "samples/s",
                epochRates(batch, groups, WIDTHS, TEST_FRACTION, checkpointEvery, epochs)).median();
    }

    static final int[] WIDTHS = {1000, 1000, 1000, 1000, 1000};
    static final double TEST_FRACTION = 0.2;

    /**
     * Samples/s of each epoch but the first (which warms up) and the last (whose end alone does not
     * wait behind another epoch's batches), from the run's own epoch-trained events: an experiment of these hidden widths on MNIST-10k's training split (testFraction
     * decides its size), analysed only after its last epoch, without attacks.
     */
    static double[] epochRates(int batch, String groups, int[] widths, double testFraction, int checkpointEvery, int epochs)
            throws Exception {
        return epochRates(batch, groups, widths, testFraction, checkpointEvery, epochs, TrainingSpec.DEFAULTS.pipelineWindow());
    }

    /** The same with {@code window} batches in flight at once (training.pipelineWindow). */
    static double[] epochRates(int batch, String groups, int[] widths, double testFraction, int checkpointEvery, int epochs, int window)
            throws Exception {
        ExperimentSpec spec = Specs.parseOne("""
                name: bench
                network: {widths: %s, layerGroups: %s}
                training: {epochs: %d, batchSize: %d, pipelineWindow: %d}
                analysis: {everyEpochs: 100, intervals: never, manifoldDim: 10}
                data: {probeSamples: 500, testFraction: %s}
                attacks: {gaussian: {sigmas: []}, fgsm: {epsilons: []}, pgd: {epsilons: []}}
                checkpoint: {everyEpochs: %d}
                """.formatted(java.util.Arrays.toString(widths), groups, epochs, batch, window, testFraction, checkpointEvery), false);
        int samples = DataSources.load("mnist-10k", spec.seed(), testFraction).train().size();
        Path runs = Files.createTempDirectory("bench-pipeline");
        CompletableFuture<ExperimentSupervisor.Outcome> done = new CompletableFuture<>();
        ActorSystem<ExperimentSupervisor.Outcome> system = ActorSystem.create(Answer.of(
                replyTo -> ExperimentSupervisor.create(spec, runs, replyTo), "experiment", done), "bench");
        ExperimentSupervisor.Outcome o = done.get(30, TimeUnit.MINUTES);
        system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
        List<Instant> ends = new ArrayList<>();
        Instant started = null;
        for (String line : Files.readAllLines(new RunDirectory(o.runDir()).events())) {
            JsonNode e = RunDirectory.JSON.readTree(line);
            if (e.path("type").asText().equals("epoch-trained")) {
                ends.add(Instant.parse(e.path("ts").asText()));
            } else if (e.path("type").asText().equals("experiment-started")) {
                started = Instant.parse(e.path("ts").asText());
            }
        }
        if (ends.size() < 3 || started == null) {
            throw new IllegalStateException(o.runDir() + ": a figure needs an experiment-started event and at least 3 epoch-trained"
                    + " events (the first warms up, the last is left out), got " + ends.size() + (started == null ? " and no start" : ""));
        }
        lastWholeRate = (double) samples * ends.size() / ((ends.get(ends.size() - 1).toEpochMilli() - started.toEpochMilli()) / 1e3);
        lastRun = o.runDir();
        // Epochs 2..E-1: every epoch's end but the last waits alike behind the next epoch's batches.
        double[] rates = new double[ends.size() - 2];
        for (int i = 1; i <= rates.length; i++) {
            rates[i - 1] = samples / ((ends.get(i).toEpochMilli() - ends.get(i - 1).toEpochMilli()) / 1e3);
        }
        return rates;
    }
}
