package org.manifoldlab.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.delivery.ProducerController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.actors.TestSpecs;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.config.Specs;
import org.manifoldlab.rundir.RunLock;

/**
 * A compute slot trusts no job's directory: one that holds other files is refused and left as it
 * was, and one that another owner holds is handed back to the coordinator (declined) to be
 * offered again later. A slot on one ActorSystem, fed by a local ProducerController.
 */
class WorkerDirectoryTest {

    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final ExperimentSpec SPEC = TestSpecs.parse("name: job\nnetwork: {widths: [8]}\ntraining: {epochs: 1}\n").withVersion("test");

    @TempDir
    Path dir;

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    /** Sends one job for runDir to a fresh slot and returns the slot's first report. */
    private Jobs.Report offer(Path runDir, String producerId) {
        return offer(dir.relativize(runDir).toString(), producerId);
    }

    private Jobs.Report offer(String runDir, String producerId) {
        ActorRef<ExperimentWorker.Command> slot = KIT.spawn(ExperimentWorker.create("test-node", "test", dir));
        ActorRef<ProducerController.Command<Jobs.RunExperiment>> producer = KIT.spawn(
                ProducerController.create(Jobs.RunExperiment.class, producerId, Optional.empty()));
        TestProbe<ProducerController.RequestNext<Jobs.RunExperiment>> demand = KIT.createTestProbe();
        producer.tell(new ProducerController.Start<>(demand.getRef()));
        slot.tell(new ExperimentWorker.Attach(producer));
        TestProbe<Jobs.Report> reports = KIT.createTestProbe();
        demand.expectMessageClass(ProducerController.requestNextClass(), Duration.ofMinutes(1)).sendNextTo()
                .tell(new Jobs.RunExperiment(SPEC.name(), 1, Specs.toJson(SPEC), runDir, reports.getRef()));
        return reports.expectMessageClass(Jobs.Report.class, Duration.ofMinutes(1));
    }

    @Test
    void aJobAimedAtADirectoryOfOtherFilesIsRefusedAndTouchesNothing() throws Exception {
        Path foreign = Files.createDirectories(dir.resolve("thesis"));
        Files.writeString(foreign.resolve("chapter1.tex"), "years of work");
        Jobs.Report report = offer(foreign, "foreign");
        assertTrue(report instanceof Jobs.Ended e && !e.completed() && e.reason().contains("holds chapter1.tex but no spec.json"),
                report.toString());
        try (var files = Files.list(foreign)) {
            assertEquals(List.of(foreign.resolve("chapter1.tex")), files.toList(), "nothing deleted, no lock file made");
        }
        assertEquals("years of work", Files.readString(foreign.resolve("chapter1.tex")));
    }

    @Test
    void aJobWhoseRunLiesOutsideTheRunsDirectoryIsRefused() throws Exception {
        Path outside = Files.createDirectories(dir.getParent().resolve(dir.getFileName() + "-elsewhere"));
        Files.writeString(outside.resolve("notes.txt"), "not a run");
        for (String run : List.of("../" + outside.getFileName(), outside.toString(), ".", "a/../..")) {
            Jobs.Report report = offer(run, "outside-" + Integer.toHexString(run.hashCode()));
            assertTrue(report instanceof Jobs.Ended e && !e.completed() && e.reason().startsWith("refused: run " + run + " is not a path inside"),
                    report.toString());
        }
        assertEquals(List.of(outside.resolve("notes.txt")), Files.list(outside).toList(), "nothing was written there");
    }

    @Test
    void aJobWhoseDirectoryIsOwnedIsHandedBack() throws Exception {
        Path run = Files.createDirectories(dir.resolve("job-run"));
        Files.writeString(run.resolve("spec.json"), Specs.toJson(SPEC));
        try (RunLock owner = RunLock.acquire(run)) {
            Jobs.Report report = offer(run, "owned");
            assertTrue(report instanceof Jobs.Declined d && d.name().equals("job"), report.toString());
            assertFalse(Files.exists(run.resolve("manifest.json")), "nothing was started in it");
        }
    }
}
