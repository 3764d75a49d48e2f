package org.manifoldlab.actors.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.actors.TestSpecs;
import org.manifoldlab.core.data.Idx;
import org.manifoldlab.rundir.Manifest;
import org.manifoldlab.rundir.RunDirectory;
import org.manifoldlab.rundir.RunLock;

/**
 * Whatever goes wrong once an experiment has started, it ends: failed, with the reason in its
 * outcome and manifest, and never "completed" unless every file was written. The probe's wait
 * is a wide backstop against a hang; each case ends in about a second.
 */
class NoHangTest {

    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final Duration BACKSTOP = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    private ExperimentSupervisor.Outcome run(String yaml, Path runs) {
        TestProbe<ExperimentSupervisor.Outcome> outcome = KIT.createTestProbe();
        KIT.spawn(ExperimentSupervisor.create(TestSpecs.parse(yaml), runs, outcome.getRef()));
        return outcome.expectMessageClass(ExperimentSupervisor.Outcome.class, BACKSTOP);
    }

    private static Manifest manifestOf(Path runs) throws IOException {
        try (Stream<Path> made = Files.list(runs)) {
            List<Path> dirs = made.filter(Files::isDirectory).toList();
            assertEquals(1, dirs.size(), "one run directory: " + dirs);
            return new RunDirectory(dirs.get(0)).readManifest();
        }
    }

    @Test
    void dataThatBreaksWhileStartingEndsTheRunFailedNamingTheFile() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Idx.writeImages(data.resolve("images-idx3-ubyte"), new Idx.Images(10, 28, 28, new byte[10 * 784]), false);
        Idx.writeLabels(data.resolve("labels-idx1-ubyte"), new byte[9], false);
        Path runs = dir.resolve("runs");
        ExperimentSupervisor.Outcome o = run("name: broken\ndata: {source: 'idx:" + data + "'}\n", runs);
        assertFalse(o.completed());
        assertEquals(data.resolve("labels-idx1-ubyte") + ": 9 labels for 10 images", o.reason());
        Manifest m = manifestOf(runs);
        assertEquals(Manifest.FAILED, m.status());
        assertEquals(o.reason(), m.reason());
        assertFalse(RunLock.isHeld(runs.resolve(o.id())), "a failed run leaves its directory free");
    }

    @Test
    void aRunsDirectoryThatIsAFileEndsTheRunFailed() throws Exception {
        Path file = Files.writeString(dir.resolve("runs"), "not a directory");
        ExperimentSupervisor.Outcome o = run("name: nowhere\n", file);
        assertFalse(o.completed());
        assertTrue(o.reason().startsWith("cannot make a run directory in " + file), o.reason());
        assertEquals("not a directory", Files.readString(file));
    }

    /** A 1 MB file system holds the run's small files but not its 2.4 MB checkpoint. */
    @Test
    void aFullDiskAtACheckpointFailsTheRunWithTheReasonAndLeavesNoHalfFile() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting a small file system needs root (CI runs as root)");
        Path runs = Files.createDirectories(dir.resolve("small-disk"));
        mount(runs, "1m");
        try {
            ExperimentSupervisor.Outcome o = run("""
                    name: full
                    network: {widths: [200, 200]}
                    training: {epochs: 2, batchSize: 100}
                    data: {probeSamples: 200}
                    analysis: {fitRanks: [2, 20]}
                    attacks: {gaussian: {sigmas: []}, fgsm: {epsilons: []}, pgd: {epsilons: []}}
                    """, runs);
            assertFalse(o.completed(), "never completed when a file could not be written");
            assertTrue(o.reason().contains("checkpoint") && o.reason().contains("No space left on device"), o.reason());
            Manifest m = manifestOf(runs);
            assertEquals(Manifest.FAILED, m.status(), "the manifest was rewritten once the partial checkpoint was gone");
            assertTrue(m.reason().contains("No space left on device"), m.reason());
            try (Stream<Path> left = Files.list(runs.resolve(o.id()).resolve("checkpoints"))) {
                assertEquals(List.of(), left.toList(), "no partial checkpoint is left");
            }
        } finally {
            umount(runs);
        }
    }

    private static void mount(Path at, String size) throws Exception {
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at.toString()).inheritIO().start();
        assertTrue(p.waitFor(1, TimeUnit.MINUTES) && p.exitValue() == 0, "mount a " + size + " tmpfs at " + at);
    }

    private static void umount(Path at) throws Exception {
        new ProcessBuilder("umount", "-l", at.toString()).inheritIO().start().waitFor(1, TimeUnit.MINUTES);
    }
}
