package org.manifoldlab.actors.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.actors.TestSpecs;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.rundir.Manifest;
import org.manifoldlab.rundir.RunDirectory;

class FaultToleranceTest {

    private static final ActorTestKit KIT = ActorTestKit.create();
    static final String SPEC = """
            name: ft
            seed: 5
            network: {widths: [48, 40, 32], layerGroups: [[1], [2], [3]]}
            training: {epochs: 3, batchSize: 100}
            data: {probeSamples: 300}
            analysis: {fitRanks: [2, 20]}
            attacks: {gaussian: {sigmas: [0, 0.3]}, fgsm: {epsilons: [0, 0.1]}, pgd: {epsilons: [0.1], steps: 3}}
            checkpoint: {afterCompletion: all}
            """;

    @TempDir
    static Path runs;
    private static ExperimentSupervisor.Outcome clean;

    @BeforeAll
    static void cleanRun() {
        clean = run(TestSpecs.parse(SPEC));
    }

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    static ExperimentSupervisor.Outcome run(ExperimentSpec spec) {
        TestProbe<ExperimentSupervisor.Outcome> outcome = KIT.createTestProbe();
        KIT.spawn(ExperimentSupervisor.create(spec, runs, outcome.getRef()));
        return outcome.expectMessageClass(ExperimentSupervisor.Outcome.class, Duration.ofMinutes(3));
    }

    @Test
    void aTrainerFaultIsRolledBackAndChangesNoResult() throws IOException {
        ExperimentSpec faulty = TestSpecs.parse(SPEC + "faults: {trainer: {layer: 2, atStep: 130}}\n");
        ExperimentSupervisor.Outcome o = run(faulty);
        assertTrue(o.completed(), o.reason());
        assertEquals(clean.fingerprint(), o.fingerprint());
        assertEquals(RunDirectoryFiles.metrics(clean.runDir()), RunDirectoryFiles.metrics(o.runDir()));
        String events = Files.readString(o.runDir().resolve("events.jsonl"));
        assertTrue(events.contains("\"type\":\"trainer-failed\""), events);
        assertTrue(events.contains("\"type\":\"trainers-restarted\""), events);
        assertTrue(events.contains("injected fault: trainer 2 at step 130"), events);
    }

    @Test
    void aTrainerFaultAfterAStepCheckpointRollsBackToItAndChangesNoResult() throws IOException {
        // 80 steps an epoch; checkpoints inside epochs at steps 30, 60, 110, 120, ...; the fault at 130
        ExperimentSpec faulty = TestSpecs.parse(SPEC.replace("checkpoint: {afterCompletion: all}", "checkpoint: {everySteps: 30, afterCompletion: all}") + "faults: {trainer: {layer: 3, atStep: 130}}\n");
        ExperimentSupervisor.Outcome o = run(faulty);
        assertTrue(o.completed(), o.reason());
        assertEquals(clean.fingerprint(), o.fingerprint());
        assertEquals(RunDirectoryFiles.metrics(clean.runDir()), RunDirectoryFiles.metrics(o.runDir()));
        String events = Files.readString(o.runDir().resolve("events.jsonl"));
        assertTrue(events.contains("\"type\":\"checkpoint-written\",\"epoch\":2,\"step\":120,\"position\":40"), events);
        assertTrue(events.contains("\"type\":\"trainers-restarted\",\"generation\":3,\"fromEpoch\":1,\"step\":120"), events);
    }

    /**
     * Faults in the first batch of an epoch that began while the one before drained: its state
     * may be in collection, or held for the analysis before it, when the fault comes. Whatever the
     * rollback replays, the results are the clean run's.
     */
    @Test
    void aTrainerFaultWhileTheNextEpochOverlapsChangesNoResult() throws IOException {
        for (String fault : new String[] {"{layer: 3, atStep: 81}", "{layer: 1, atStep: 161}", "{layer: 3, atStep: 161}"}) {
            ExperimentSupervisor.Outcome o = run(TestSpecs.parse(SPEC + "faults: {trainer: " + fault + "}\n"));
            assertTrue(o.completed(), fault + ": " + o.reason());
            assertEquals(clean.fingerprint(), o.fingerprint(), fault);
            assertEquals(RunDirectoryFiles.metrics(clean.runDir()), RunDirectoryFiles.metrics(o.runDir()), fault);
            assertTrue(Files.readString(o.runDir().resolve("events.jsonl")).contains("\"type\":\"trainers-restarted\""), fault);
        }
        // With a validation set held out, the fault may come while the last epoch is in its validation pass.
        String validated = SPEC.replace("name: ft", "name: ftval").replace("data: {probeSamples: 300}",
                "data: {probeSamples: 300, validationFraction: 0.25}");
        ExperimentSupervisor.Outcome cleanValidated = run(TestSpecs.parse(validated));
        for (String fault : new String[] {"{layer: 3, atStep: 61}", "{layer: 1, atStep: 121}"}) {
            ExperimentSupervisor.Outcome o = run(TestSpecs.parse(validated + "faults: {trainer: " + fault + "}\n"));
            assertTrue(o.completed(), "validation set, " + fault + ": " + o.reason());
            assertEquals(cleanValidated.fingerprint(), o.fingerprint(), fault);
            assertEquals(RunDirectoryFiles.metrics(cleanValidated.runDir()), RunDirectoryFiles.metrics(o.runDir()), fault);
        }
    }

    @Test
    void aDivergingRunIsMarkedFailedWithTheReason() throws IOException {
        ExperimentSpec diverging = TestSpecs.parse(SPEC.replace("name: ft", "name: diverge")
                .replace("training: {epochs: 3, batchSize: 100}",
                        "training: {epochs: 3, batchSize: 100, optimizer: {type: sgd, learningRate: 1.0e12}}"));
        ExperimentSupervisor.Outcome o = run(diverging);
        assertFalse(o.completed());
        assertTrue(o.reason().contains("(diverged)"), o.reason());
        Manifest m = new RunDirectory(o.runDir()).readManifest();
        assertEquals(Manifest.FAILED, m.status());
        assertEquals(o.reason(), m.reason());
    }

    @Test
    void checkpointsAreKeptNewestFirstAndVerify() throws IOException {
        CheckpointStore store = new CheckpointStore(clean.runDir().resolve("checkpoints"), 2);
        List<CheckpointStore.Entry> entries = store.entries();
        assertEquals(List.of(3, 2), entries.stream().map(CheckpointStore.Entry::epoch).toList());
        Checkpoint last = store.read(entries.get(0), org.manifoldlab.core.nn.Activation.RELU);
        assertEquals(clean.fingerprint(), new org.manifoldlab.core.nn.Network(784, 10, last.layers()).fingerprint());
    }
}
