package org.manifoldlab.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run directory streamed by {@link RunMirror} into a {@link RunCopy} ends equal to the
 * original through growth, cuts, replacements and deletions; a streamed name never resolves
 * outside the copy, and sizes are bounded.
 */
class RunFilesStreamTest {

    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final Executor IO = KIT.system().dispatchers().lookup(DispatcherSelector.blocking());

    @TempDir
    Path dir;

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    private static void append(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void aMirroredRunEndsEqualThroughGrowthCutsReplacementsAndDeletions() throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        Path copyDir = dir.resolve("copy");
        append(run.resolve("metrics/train.csv"), "epoch,layer,loss\n1,1,0.5\n1,2,0.6\n");
        append(run.resolve("events.jsonl"), "{\"type\":\"started\"}\n");
        Files.writeString(run.resolve("manifest.json"), "{\"status\":\"running\"}");
        Files.writeString(run.resolve("spec.json"), "{\"name\":\"never sent by a node\"}");
        Files.createDirectories(run.resolve("checkpoints"));
        byte[] big = new byte[3 * RunFiles.PIECE_BYTES + 17];  // a checkpoint of several pieces
        new java.util.Random(1).nextBytes(big);
        Files.write(run.resolve("checkpoints/ckpt-e0001.bin"), big);
        Files.writeString(run.resolve("checkpoints/ckpt-e0001.json"), "{\"epoch\":1}");

        RunCopy copy = new RunCopy(copyDir, 1L << 30, false);
        copy.admit(7);
        RunMirror mirror = new RunMirror(run, false, Duration.ofMillis(20), IO);
        CompletionStage<Done> written = mirror.source().runWith(copy.sink(7, IO), KIT.system());

        // once the copy holds the first rows, the run grows, replaces its manifest and checkpoints, and leaves half a row
        KIT.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
            assertTrue(Files.exists(copyDir.resolve("checkpoints/ckpt-e0001.json")));
            assertEquals(3, Files.readAllLines(copyDir.resolve("metrics/train.csv")).size());
            return null;
        });
        append(run.resolve("metrics/train.csv"), "2,1,0.4\n2,2,");
        append(run.resolve("metrics/spectrum.csv"), "epoch,layer,rank,eigenvalue\n");
        append(run.resolve("events.jsonl"), "{\"type\":\"epoch\"}\n".repeat(5000));  // more than one piece
        Files.writeString(run.resolve("manifest.json.tmp"), "{\"status\":\"completed\"}");
        Files.move(run.resolve("manifest.json.tmp"), run.resolve("manifest.json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.write(run.resolve("checkpoints/ckpt-e0002.bin"), new byte[] {1, 2, 3});
        Files.writeString(run.resolve("checkpoints/ckpt-e0002.json"), "{\"epoch\":2}");
        Files.delete(run.resolve("checkpoints/ckpt-e0001.json"));
        Files.delete(run.resolve("checkpoints/ckpt-e0001.bin"));
        KIT.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
            assertEquals("epoch,layer,loss\n1,1,0.5\n1,2,0.6\n2,1,0.4\n", Files.readString(copyDir.resolve("metrics/train.csv")),
                    "the copy holds whole rows only");
            assertFalse(Files.exists(copyDir.resolve("checkpoints/ckpt-e0001.bin")), "a pruned checkpoint is deleted from the copy");
            return null;
        });
        append(run.resolve("metrics/train.csv"), "0.3\n");
        mirror.finish();
        written.toCompletableFuture().get(1, TimeUnit.MINUTES);
        assertTrue(mirror.ended());
        assertSameRun(run, copyDir);

        // the run continues elsewhere from its checkpoint: a new mirror of a copy that held it all, cut back before its first look
        RunMirror resumed = new RunMirror(run, false, Duration.ofMillis(20), IO);
        resumed.receiverHolds(resumed.files());
        org.manifoldlab.rundir.MetricsFiles.truncate(run.resolve("metrics/train.csv"), 1);
        resumed.scan();
        append(run.resolve("metrics/train.csv"), "1,2,0.6\n2,1,0.4\n2,2,0.3\n3,1,0.2\n");
        copy.admit(8);
        CompletionStage<Done> rewritten = resumed.source().runWith(copy.sink(8, IO), KIT.system());
        resumed.finish();
        rewritten.toCompletableFuture().get(1, TimeUnit.MINUTES);
        assertSameRun(run, copyDir);

        // a run that starts over (no checkpoint reached the copy): emptied before the first look, it grows other bytes from nothing
        RunMirror again = new RunMirror(run, false, Duration.ofMillis(20), IO);
        again.receiverHolds(again.files());
        Files.delete(run.resolve("metrics/train.csv"));
        Files.delete(run.resolve("events.jsonl"));
        again.scan();
        append(run.resolve("metrics/train.csv"), "epoch,layer,loss\n1,1,0.5\n");
        append(run.resolve("events.jsonl"), "{\"type\":\"started over, with a longer line than any before it\"}\n".repeat(3000));
        copy.admit(9);
        CompletionStage<Done> restarted = again.source().runWith(copy.sink(9, IO), KIT.system());
        again.finish();
        restarted.toCompletableFuture().get(1, TimeUnit.MINUTES);
        assertSameRun(run, copyDir);
    }

    /** The copy holds every file of the run but spec.json, byte for byte. */
    private static void assertSameRun(Path run, Path copyDir) throws IOException {
        List<String> expected = files(run);
        expected.remove("spec.json");
        assertEquals(expected, files(copyDir));
        for (String f : expected) {
            assertArrayEquals(Files.readAllBytes(run.resolve(f)), Files.readAllBytes(copyDir.resolve(f)), f);
        }
    }

    @Test
    void aSnapshotCarriesTheWholeRunSpecIncludedAndCompletes() throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        append(run.resolve("metrics/robustness.csv"), "epoch,layer\n1,1\n");
        Files.writeString(run.resolve("spec.json"), "{\"name\":\"x\"}");
        RunCopy copy = new RunCopy(dir.resolve("node"), 1L << 30, true);
        copy.admit(1);
        RunMirror.snapshot(run, true, IO).runWith(copy.sink(1, IO), KIT.system()).toCompletableFuture().get(1, TimeUnit.MINUTES);
        assertEquals(files(run), files(dir.resolve("node")));
        assertEquals("{\"name\":\"x\"}", Files.readString(dir.resolve("node/spec.json")));
    }

    @Test
    void aStreamedNameNeverResolvesOutsideTheRunDirectory() throws Exception {
        Path copyDir = Files.createDirectories(dir.resolve("copy"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(copyDir.resolve("metrics"), outside);
        RunCopy copy = new RunCopy(copyDir, 1L << 30, false);
        copy.admit(1);
        byte[] bytes = "x\n".getBytes(StandardCharsets.UTF_8);
        List<RunFiles.Piece> hostile = List.of(
                new RunFiles.Append("../outside/escape.csv", 0, bytes),
                new RunFiles.Append("metrics/../../outside/escape.csv", 0, bytes),
                new RunFiles.Append(outside.resolve("escape.csv").toString(), 0, bytes),
                new RunFiles.Append("metrics/escape.csv", 0, bytes),          // through the symbolic link
                new RunFiles.Append("events.jsonl/../../outside/x", 0, bytes),
                new RunFiles.Append("manifest.json", 0, bytes),               // replaced whole, never appended
                new RunFiles.Part("spec.json", 0, bytes, true),                // the coordinator's own
                new RunFiles.Part("checkpoints/../../outside/ckpt-e0001.bin", 0, bytes, true),
                new RunFiles.Part("checkpoints/ckpt-e0001.bin\u0000", 0, bytes, true),
                new RunFiles.Part("report/index.html", 0, bytes, true),
                new RunFiles.Delete("../outside"),
                new RunFiles.Delete("metrics/escape.csv"),
                new RunFiles.Append(null, 0, bytes));
        for (RunFiles.Piece piece : hostile) {
            IOException e = assertThrows(IOException.class, () -> copy.write(1, piece), String.valueOf(piece.path()));
            assertTrue(e.getMessage().startsWith("refused: "), e.getMessage());
        }
        try (Stream<Path> files = Files.list(outside)) {
            assertEquals(List.of(), files.toList(), "nothing was written outside the copy");
        }
        try (Stream<Path> files = Files.list(copyDir)) {
            assertEquals(List.of(copyDir.resolve("metrics")), files.toList(), "nothing was written inside either");
        }
    }

    @Test
    void piecesAndFilesAreBoundedAndComeInOrder() throws Exception {
        Path copyDir = dir.resolve("copy");
        RunCopy copy = new RunCopy(copyDir, 100, false);
        copy.admit(1);
        assertThrows(IOException.class, () -> copy.write(1, new RunFiles.Append("events.jsonl", 0, new byte[RunFiles.PIECE_BYTES + 1])));
        copy.write(1, new RunFiles.Append("events.jsonl", 0, new byte[60]));
        IOException tooBig = assertThrows(IOException.class, () -> copy.write(1, new RunFiles.Append("events.jsonl", 60, new byte[41])));
        assertTrue(tooBig.getMessage().contains("beyond the bound of 100"), tooBig.getMessage());
        IOException hole = assertThrows(IOException.class, () -> copy.write(1, new RunFiles.Append("events.jsonl", 61, new byte[1])));
        assertTrue(hole.getMessage().contains("hole"), hole.getMessage());
        assertThrows(IOException.class, () -> copy.write(1, new RunFiles.Append("events.jsonl", -1, new byte[1])));
        copy.write(1, new RunFiles.Part("manifest.json", 0, new byte[10], false));
        IOException order = assertThrows(IOException.class, () -> copy.write(1, new RunFiles.Part("manifest.json", 20, new byte[10], true)));
        assertTrue(order.getMessage().contains("out of order"), order.getMessage());
        assertFalse(Files.exists(copyDir.resolve("manifest.json")), "half a file is never renamed into place");
        assertEquals(60, Files.size(copyDir.resolve("events.jsonl")));
    }

    @Test
    void aPlacementNoLongerAdmittedWritesNothing() throws Exception {
        Path copyDir = dir.resolve("copy");
        RunCopy copy = new RunCopy(copyDir, 1L << 20, false);
        copy.admit(1);
        copy.write(1, new RunFiles.Append("events.jsonl", 0, "first\n".getBytes(StandardCharsets.UTF_8)));
        copy.write(1, new RunFiles.Part("checkpoints/ckpt-e0001.bin", 0, new byte[5], false));
        copy.admit(2);  // the job moved to another node
        copy.write(1, new RunFiles.Append("events.jsonl", 6, "late\n".getBytes(StandardCharsets.UTF_8)));
        copy.write(1, new RunFiles.Part("checkpoints/ckpt-e0001.bin", 5, new byte[5], true));
        assertEquals("first\n", Files.readString(copyDir.resolve("events.jsonl")));
        assertEquals(List.of(), files(copyDir.resolve("checkpoints")), "the earlier placement's half checkpoint is gone");
        copy.write(2, new RunFiles.Append("events.jsonl", 6, "second\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("first\nsecond\n", Files.readString(copyDir.resolve("events.jsonl")));
    }

    /** Every regular file under root, relative, sorted. */
    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return new java.util.ArrayList<>(all.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList());
        }
    }
}
