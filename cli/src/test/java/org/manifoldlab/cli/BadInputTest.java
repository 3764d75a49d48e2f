package org.manifoldlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.core.data.Idx;
import org.manifoldlab.rundir.RunLock;

/**
 * Bad and hostile input gets one line naming what is wrong, exit 2, and leaves nothing behind:
 * no runs directory, no file touched. The timeout is a backstop against a hang, not a measurement.
 */
public class BadInputTest {

    private static final Duration BACKSTOP = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    public record Result(int code, String out, String err) {
        public List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    public static Result lab(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Lab.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    private Result refused(String yaml) throws Exception {
        return refused(yaml, dir.resolve("runs"));
    }

    private Result refused(String yaml, Path runs) throws Exception {
        Path spec = Files.writeString(dir.resolve("spec.yaml"), yaml);
        boolean existed = Files.exists(runs);
        Result r = assertTimeoutPreemptively(BACKSTOP, () -> lab("run", spec.toString(), "--runs-dir", runs.toString()));
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.errLines().size(), "one line: " + r.err());
        assertEquals(existed, Files.exists(runs), "no runs directory made");
        return r;
    }

    @Test
    void aBillionUnitsAreRefusedWithTheNumbers() throws Exception {
        Result r = refused("name: huge\nnetwork: {widths: [1000000000]}\n");
        assertTrue(r.err().contains("huge: network.widths: a weight matrix of 7.8e+11 entries"), r.err());
    }

    @Test
    void aBrokenDataSetIsRefusedNamingItsFile() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Idx.writeImages(data.resolve("images-idx3-ubyte"), new Idx.Images(10, 28, 28, new byte[10 * 784]), false);
        Idx.writeLabels(data.resolve("labels-idx1-ubyte"), new byte[9], false);
        Result r = refused("name: broken\ndata: {source: 'idx:" + data + "'}\n");
        assertEquals("lab: " + dir.resolve("spec.yaml") + ": data.source: " + data.resolve("labels-idx1-ubyte")
                + ": 9 labels for 10 images", r.err().strip());
        Files.write(data.resolve("images-idx3-ubyte"), new byte[0]);
        assertTrue(refused("name: empty\ndata: {source: 'idx:" + data + "'}\n").err().contains("empty or shorter than an IDX magic number"));
    }

    @Test
    void aRunsDirectoryThatIsAFileOrUnderOneIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Result r = refused("name: a\n", file);
        assertEquals("lab: --runs-dir " + file + ": is a file, not a directory", r.err().strip());
        Result under = refused("name: a\n", file.resolve("runs"));
        assertTrue(under.err().contains("cannot be made: " + file + " is a file"), under.err());
        assertEquals("x", Files.readString(file));
    }

    @Test
    void anAliasBombAndAnEmptySpecAreRefusedAtOnce() throws Exception {
        StringBuilder bomb = new StringBuilder("name: bomb\nx0: &a0 [lol, lol]\n");
        for (int level = 1; level <= 24; level++) {
            bomb.append("x").append(level).append(": &a").append(level).append(" [*a").append(level - 1).append(", *a")
                    .append(level - 1).append("]\n");
        }
        assertTrue(refused(bomb.toString()).err().contains("aliases are expanded"));
        assertTrue(refused("").err().contains("the spec is empty"));
    }

    @Test
    void resumeOfADirectoryThatIsNotARunTouchesNothing() throws Exception {
        Path foreign = Files.createDirectories(dir.resolve("thesis"));
        Files.writeString(foreign.resolve("chapter1.tex"), "years of work");
        Result r = assertTimeoutPreemptively(BACKSTOP, () -> lab("resume", foreign.toString()));
        assertEquals(2, r.code());
        assertEquals("lab: " + foreign + ": not a run directory (no spec.json)", r.err().strip());
        try (var files = Files.list(foreign)) {
            assertEquals(List.of(foreign.resolve("chapter1.tex")), files.toList(), "no lock file, nothing else");
        }
        assertFalse(RunLock.isHeld(foreign));
    }
}
