package org.manifoldlab.actors.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.actors.TestSpecs;
import org.manifoldlab.config.ExperimentSpec;

/** A run killed with SIGKILL in a forked JVM, then resumed here, ends as an uninterrupted run does. */
class KillAndResumeTest {

    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final String SPEC = """
            name: kr
            seed: 9
            network: {widths: [300, 200, 100], layerGroups: [[1], [2, 3]]}
            training: {epochs: 5, batchSize: 32}
            data: {probeSamples: 500}
            analysis: {fitRanks: [3, 60]}
            attacks: {gaussian: {sigmas: [0, 0.3]}, fgsm: {epsilons: [0, 0.1]}, pgd: {epsilons: [0.1], steps: 3}}
            """;

    @TempDir
    static Path dir;
    private static ExperimentSupervisor.Outcome uninterrupted;
    /**
     * (newest checkpoint, events.jsonl lines) at which a run is killed: an epoch has about 10
     * events, so these fall in epoch 2's training, during epoch 3's analysis or training, and in
     * the last epoch.
     */
    private static final int[][] MOMENTS = {{1, 4}, {2, 21}, {4, 40}};
    /** The run killed at MOMENTS[1], made once (or its failure): each test that needs one works on a copy of it. */
    private static Path killedAfterEpochTwo;
    private static Exception killedAfterEpochTwoFailed;

    @BeforeAll
    static void uninterruptedRun() {
        uninterrupted = runFresh(TestSpecs.parse(SPEC), dir.resolve("clean"));
    }

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    private static ExperimentSupervisor.Outcome runFresh(ExperimentSpec spec, Path runs) {
        TestProbe<ExperimentSupervisor.Outcome> outcome = KIT.createTestProbe();
        KIT.spawn(ExperimentSupervisor.create(spec, runs, outcome.getRef()));
        return outcome.expectMessageClass(ExperimentSupervisor.Outcome.class, Duration.ofMinutes(3));
    }

    /** Starts the experiment in another JVM and kills it once it has a checkpoint of epoch checkpointEpoch and eventsBeforeKill lines of events. */
    private static Path killedRun(String name, int checkpointEpoch, int eventsBeforeKill) throws Exception {
        return killedRun(name, SPEC, checkpointEpoch, eventsBeforeKill, false);
    }

    private static Path killedRun(String name, String specText, int checkpointEpoch, int eventsBeforeKill, boolean insideEpoch)
            throws Exception {
        Path runs = dir.resolve(name);
        Path spec = dir.resolve(name + ".yaml");
        Files.writeString(spec, specText);
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), RunOne.class.getName(), spec.toString(), runs.toString());
        pb.redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        Process process = pb.start();
        try {
            KIT.createTestProbe().awaitAssert(Duration.ofMinutes(3), Duration.ofMillis(20), () -> {
                Path run = RunDirectoryFiles.onlyRun(runs);
                assertTrue(process.isAlive(), "the run ended before the moment to kill it");
                List<CheckpointStore.Entry> written = new CheckpointStore(run.resolve("checkpoints"), 2).entries();
                assertTrue(!written.isEmpty() && written.get(0).epoch() >= checkpointEpoch, "checkpoint of epoch " + checkpointEpoch);
                assertTrue(!insideEpoch || written.get(0).position() > 0, "a checkpoint inside an epoch");
                assertTrue(lines(run.resolve("events.jsonl")) >= eventsBeforeKill, "enough events");
                return null;
            });
        } finally {
            process.destroyForcibly().waitFor();
        }
        assertTrue(process.exitValue() != 0, "the process was killed, not finished");
        return RunDirectoryFiles.onlyRun(runs);
    }

    /**
     * A copy, under name, of the run killed at MOMENTS[1] (a checkpoint of epoch 2, during epoch
     * 3's analysis or training); the run directory keeps its name. Killed once: a failure to make
     * it fails every test that asks, with its own reason.
     */
    private static synchronized Path copyOfKilledAfterEpochTwo(String name) throws Exception {
        if (killedAfterEpochTwoFailed != null) {
            throw killedAfterEpochTwoFailed;
        }
        if (killedAfterEpochTwo == null) {
            try {
                killedAfterEpochTwo = killedRun("killed-after-epoch-2", MOMENTS[1][0], MOMENTS[1][1]);
            } catch (Exception | AssertionError e) {
                killedAfterEpochTwoFailed = new IllegalStateException("the shared killed run could not be made: " + e.getMessage(), e);
                throw killedAfterEpochTwoFailed;
            }
        }
        Path copy = dir.resolve(name).resolve(killedAfterEpochTwo.getFileName());
        Files.createDirectories(copy.getParent());
        RunDirectoryFiles.copyTree(killedAfterEpochTwo, copy);
        return copy;
    }

    @Test
    void killedAtThreeMomentsThenResumedEqualsTheUninterruptedRun() throws Exception {
        assertTrue(uninterrupted.completed(), uninterrupted.reason());
        for (int k = 0; k < MOMENTS.length; k++) {
            Path run = k == 1 ? copyOfKilledAfterEpochTwo("killed-" + k) : killedRun("killed-" + k, MOMENTS[k][0], MOMENTS[k][1]);
            ExperimentSupervisor.Outcome resumed = RunDirectoryFiles.resume(KIT, run);
            assertTrue(resumed.completed(), resumed.reason());
            assertEquals(uninterrupted.fingerprint(), resumed.fingerprint(), "moment " + k);
            assertEquals(RunDirectoryFiles.metrics(uninterrupted.runDir()), RunDirectoryFiles.metrics(run), "moment " + k);
        }
    }

    @Test
    void killedAfterACheckpointInsideAnEpochThenResumedEqualsTheUninterruptedRun() throws Exception {
        // 250 steps an epoch, a checkpoint every 100 steps: killed in epoch 2 after the one at step 300
        Path run = killedRun("inside", SPEC + "checkpoint: {everySteps: 100}\n", 1, 0, true);
        Resume.Plan plan = Resume.prepare(run, "");
        assertTrue(plan.checkpoint().position() > 0, "resumes inside an epoch");
        ExperimentSupervisor.Outcome resumed = RunDirectoryFiles.resume(KIT, run);
        assertTrue(resumed.completed(), resumed.reason());
        assertEquals(uninterrupted.fingerprint(), resumed.fingerprint());
        assertEquals(RunDirectoryFiles.metrics(uninterrupted.runDir()), RunDirectoryFiles.metrics(run));
    }

    @Test
    void aCorruptCheckpointFallsBackToThePreviousOneOrIsRefused() throws Exception {
        Path run = copyOfKilledAfterEpochTwo("corrupt");
        List<CheckpointStore.Entry> entries = new CheckpointStore(run.resolve("checkpoints"), 2).entries();
        assertEquals(2, entries.size(), "two checkpoints kept when killed");
        Path newest = bin(entries.get(0));
        try (RandomAccessFile f = new RandomAccessFile(newest.toFile(), "rw")) {
            f.setLength(f.length() / 2);  // truncated
        }
        Path copy = dir.resolve("corrupt-copy");
        RunDirectoryFiles.copyTree(run, copy);
        ExperimentSupervisor.Outcome resumed = RunDirectoryFiles.resume(KIT, run);
        assertTrue(resumed.completed(), resumed.reason());
        assertEquals(uninterrupted.fingerprint(), resumed.fingerprint());
        assertEquals(RunDirectoryFiles.metrics(uninterrupted.runDir()), RunDirectoryFiles.metrics(run));

        Path older = bin(new CheckpointStore(copy.resolve("checkpoints"), 2).entries().get(1));
        byte[] bytes = Files.readAllBytes(older);
        bytes[bytes.length / 2] ^= 1;  // one bit altered
        Files.write(older, bytes);
        Resume.RefusedException refused = assertThrows(Resume.RefusedException.class, () -> Resume.prepare(copy, ""));
        assertTrue(refused.getMessage().startsWith(copy + ": every checkpoint is corrupt:"), refused.getMessage());
        assertTrue(refused.getMessage().contains("does not match its manifest"), refused.getMessage());
    }

    @Test
    void aChangedSpecOrVersionIsRefused() throws Exception {
        Path run = copyOfKilledAfterEpochTwo("changed");
        Resume.RefusedException version = assertThrows(Resume.RefusedException.class, () -> Resume.prepare(run, "9.9.9"));
        assertTrue(version.getMessage().contains("written by manifold-lab , this is 9.9.9"), version.getMessage());
        Files.writeString(run.resolve("spec.json"), Files.readString(run.resolve("spec.json")).replace("\"seed\" : 9", "\"seed\" : 10"));
        Resume.RefusedException spec = assertThrows(Resume.RefusedException.class, () -> Resume.prepare(run, ""));
        assertTrue(spec.getMessage().contains("spec.json changed since checkpoint"), spec.getMessage());
    }

    private static Path bin(CheckpointStore.Entry e) {
        return e.manifest().resolveSibling(e.manifest().getFileName().toString().replace(".json", ".bin"));
    }

    private static long lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (Stream<String> s = Files.lines(file)) {
            return s.count();
        }
    }

}
