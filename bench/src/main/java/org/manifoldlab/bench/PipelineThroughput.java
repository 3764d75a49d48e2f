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
import org.manifoldlab.core.Kernels;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.TrainingMode;
import org.manifoldlab.rundir.RunDirectory;

/**
 * Training throughput of the actor pipeline, 784-5x1000, local errors, MNIST-10k, against core's
 * plain loop in the same run: samples/s of epochs 2..E (epoch 1 warms up), read from the
 * run's own epoch-trained events. Run: {@code bench/run PipelineThroughput [batch]}.
 */
public final class PipelineThroughput {

    /** The run directory of the last {@link #pipeline} call (for its checkpoint sizes). */
    static Path lastRun;

    public static void main(String[] args) throws Exception {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 64;
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

    /** Runs a 4-epoch experiment (analysis only at the end, no attacks); the median samples/s of epochs 2..4. */
    static double pipeline(int batch, String groups) throws Exception {
        return pipeline(batch, groups, 0, 4);
    }

    /** The same with checkpoints every {@code checkpointEvery} epochs (0: none), over {@code epochs} epochs. */
    static double pipeline(int batch, String groups, int checkpointEvery, int epochs) throws Exception {
        return Harness.figure("actor pipeline, batch " + batch + ", groups " + groups, "samples/s",
                epochRates(batch, groups, WIDTHS, TEST_FRACTION, checkpointEvery, epochs)).median();
    }

    static final int[] WIDTHS = {1000, 1000, 1000, 1000, 1000};
    static final double TEST_FRACTION = 0.2;

    /**
     * Samples/s of each epoch after the first (which warms up), from the run's own epoch-trained
     * events: an experiment of these hidden widths on MNIST-10k's training split (testFraction
     * decides its size), analysed only after its last epoch, without attacks.
     */
    static double[] epochRates(int batch, String groups, int[] widths, double testFraction, int checkpointEvery, int epochs)
            throws Exception {
        ExperimentSpec spec = Specs.parseOne("""
                name: bench
                network: {widths: %s, layerGroups: %s}
                training: {epochs: %d, batchSize: %d}
                analysis: {everyEpochs: 100, intervals: never, manifoldDim: 10}
                data: {probeSamples: 500, testFraction: %s}
                attacks: {gaussian: {sigmas: []}, fgsm: {epsilons: []}, pgd: {epsilons: []}}
                checkpoint: {everyEpochs: %d}
                """.formatted(java.util.Arrays.toString(widths), groups, epochs, batch, testFraction, checkpointEvery), false);
        int samples = DataSources.load("mnist-10k", spec.seed(), testFraction).train().size();
        Path runs = Files.createTempDirectory("bench-pipeline");
        CompletableFuture<ExperimentSupervisor.Outcome> done = new CompletableFuture<>();
        ActorSystem<ExperimentSupervisor.Outcome> system = ActorSystem.create(Answer.of(
                replyTo -> ExperimentSupervisor.create(spec, runs, replyTo), "experiment", done), "bench");
        ExperimentSupervisor.Outcome o = done.get(30, TimeUnit.MINUTES);
        system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
        List<Instant> ends = new ArrayList<>();
        for (String line : Files.readAllLines(new RunDirectory(o.runDir()).events())) {
            JsonNode e = RunDirectory.JSON.readTree(line);
            if (e.path("type").asText().equals("epoch-trained")) {
                ends.add(Instant.parse(e.path("ts").asText()));
            }
        }
        lastRun = o.runDir();
        double[] rates = new double[ends.size() - 1];
        for (int i = 1; i < ends.size(); i++) {
            rates[i - 1] = samples / ((ends.get(i).toEpochMilli() - ends.get(i - 1).toEpochMilli()) / 1e3);
        }
        return rates;
    }
}
