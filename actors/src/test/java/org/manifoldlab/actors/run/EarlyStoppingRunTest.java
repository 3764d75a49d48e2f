package org.manifoldlab.actors.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.actors.TestSpecs;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.rundir.Columns;
import org.manifoldlab.rundir.CsvTable;

/**
 * A run with a validation set and early stopping: the validation rows are written every epoch,
 * training stops at the epoch the rule names (checked here from the rows themselves), the test
 * set plays no part, and a run stopped on the way, or resumed from its last checkpoint, stops at
 * the same epoch with the same weights and metrics.
 */
class EarlyStoppingRunTest {

    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final int MAX_EPOCHS = 12;
    private static final int PATIENCE = 1;
    private static final String SPEC = """
            name: es
            seed: 3
            data: {probeSamples: 300, validationFraction: 0.2}
            network: {widths: [200, 100]}
            training: {epochs: %d, batchSize: 64, earlyStopping: {patience: %d}}
            analysis: {everyEpochs: 100, fitRanks: [3, 60]}
            attacks: {gaussian: {sigmas: [0, 0.3]}, fgsm: {epsilons: [0]}, pgd: {epsilons: []}}
            checkpoint: {afterCompletion: all, keep: 20}
            """.formatted(MAX_EPOCHS, PATIENCE);

    @TempDir
    static Path dir;
    private static ExperimentSupervisor.Outcome uninterrupted;

    @BeforeAll
    static void uninterruptedRun() {
        TestProbe<ExperimentSupervisor.Outcome> outcome = KIT.createTestProbe();
        KIT.spawn(ExperimentSupervisor.create(TestSpecs.parse(SPEC), dir.resolve("clean"), outcome.getRef()));
        uninterrupted = outcome.expectMessageClass(ExperimentSupervisor.Outcome.class, Duration.ofMinutes(3));
    }

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    /** epoch -> layer -> accuracy of one split of train.csv. */
    private static TreeMap<Integer, TreeMap<Integer, Double>> accuracies(Path run, String split) throws IOException {
        CsvTable t = CsvTable.read(run.resolve("metrics/train.csv"), List.of(Columns.EPOCH, Columns.LAYER, Columns.SPLIT, Columns.ACCURACY,
                Columns.SAMPLES));
        TreeMap<Integer, TreeMap<Integer, Double>> out = new TreeMap<>();
        for (int r = 0; r < t.size(); r++) {
            if (t.text(r, Columns.SPLIT).equals(split)) {
                out.computeIfAbsent(t.integer(r, Columns.EPOCH), e -> new TreeMap<>()).put(t.integer(r, Columns.LAYER), t.number(r, Columns.ACCURACY));
            }
        }
        return out;
    }

    @Test
    void trainingStopsAtTheFirstEpochThatEndsPatienceEpochsWithoutAnImprovement() throws IOException {
        assertTrue(uninterrupted.completed(), uninterrupted.reason());
        TreeMap<Integer, TreeMap<Integer, Double>> validation = accuracies(uninterrupted.runDir(), "validation");
        int last = accuracies(uninterrupted.runDir(), "train").lastKey();
        assertEquals(last, validation.lastKey(), "a validation row set for every trained epoch");
        assertEquals(validation.keySet().size(), last);
        assertTrue(last < MAX_EPOCHS, "this setting stops early (epoch " + last + ")");
        // the rule (monitor mean, the default), recomputed from the rows: the first epoch ending
        // PATIENCE epochs in which the mean over the layers did not beat its best
        double best = Double.NEGATIVE_INFINITY;
        int without = 0;
        int stop = MAX_EPOCHS;
        for (var e : validation.entrySet()) {
            double mean = e.getValue().values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            without = mean > best ? 0 : without + 1;
            best = Math.max(best, mean);
            if (without >= PATIENCE) {
                stop = e.getKey();
                break;
            }
        }
        assertEquals(stop, last, "stopped where the rule says");
        assertEquals(List.of(last), new ArrayList<>(accuracies(uninterrupted.runDir(), "test").keySet()), "the test set is read only at the analysis of the last epoch");
        CsvTable t = CsvTable.read(uninterrupted.runDir().resolve("metrics/train.csv"), List.of(Columns.SPLIT, Columns.SAMPLES));
        for (int r = 0; r < t.size(); r++) {
            long expected = switch (t.text(r, Columns.SPLIT)) {
                case "train" -> 6400;  // 8,000 MNIST-10k training digits less the 1,600 held out
                case "validation" -> 1600;
                default -> 2000;
            };
            assertEquals(expected, (long) t.number(r, Columns.SAMPLES), "row " + r);
        }
        assertTrue(Files.readString(uninterrupted.runDir().resolve("events.jsonl")).contains("\"early-stopped\""));
        assertEquals(last, new org.manifoldlab.rundir.RunDirectory(uninterrupted.runDir()).readManifest().epochsCompleted(),
                "the manifest counts the epochs trained, not training.epochs");
        CsvTable summary = CsvTable.read(uninterrupted.runDir().resolve("metrics/spectrum-summary.csv"), List.of(Columns.EPOCH, Columns.ALPHA_LO));
        for (int r = 0; r < summary.size(); r++) {
            assertEquals(last, summary.integer(r, Columns.EPOCH));
            assertTrue(Double.isFinite(summary.number(r, Columns.ALPHA_LO)), "intervals at the epoch training stopped after, the last analysis");
        }
    }

    @Test
    void aRunStoppedOnTheWayThenResumedStopsAtTheSameEpochWithTheSameWeights() throws Exception {
        Path runs = dir.resolve("stopped");
        TestProbe<ExperimentSupervisor.Outcome> outcome = KIT.createTestProbe();
        ActorRef<ExperimentSupervisor.Command> run = KIT.spawn(ExperimentSupervisor.create(TestSpecs.parse(SPEC), runs, outcome.getRef()));
        outcome.awaitAssert(Duration.ofMinutes(3), Duration.ofMillis(10), () -> {
            List<CheckpointStore.Entry> written = new CheckpointStore(RunDirectoryFiles.onlyRun(runs).resolve("checkpoints"), 20).entries();
            assertTrue(!written.isEmpty() && written.get(0).epoch() >= 2, "a checkpoint of epoch 2");
            return null;
        });
        KIT.stop(run, Duration.ofMinutes(1));
        Path runDir = RunDirectoryFiles.onlyRun(runs);
        ExperimentSupervisor.Outcome resumed = RunDirectoryFiles.resume(KIT, runDir);
        assertTrue(resumed.completed(), resumed.reason());
        assertEquals(uninterrupted.fingerprint(), resumed.fingerprint());
        assertEquals(RunDirectoryFiles.metrics(uninterrupted.runDir()), RunDirectoryFiles.metrics(runDir));
    }

    @Test
    void aRunResumedFromTheCheckpointOfItsStoppingEpochStopsThereAgain() throws Exception {
        Path copy = dir.resolve("from-last");
        RunDirectoryFiles.copyTree(uninterrupted.runDir(), copy);
        Files.delete(copy.resolve("manifest.json"));  // as if killed after the last checkpoint, before completing
        ExperimentSupervisor.Outcome resumed = RunDirectoryFiles.resume(KIT, copy);
        assertTrue(resumed.completed(), resumed.reason());
        assertEquals(uninterrupted.fingerprint(), resumed.fingerprint());
        assertEquals(RunDirectoryFiles.metrics(uninterrupted.runDir()), RunDirectoryFiles.metrics(copy));
    }

}
