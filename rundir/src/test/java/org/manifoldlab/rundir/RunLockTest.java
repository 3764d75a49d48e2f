package org.manifoldlab.rundir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One owner of a run directory at a time, in this process and across processes; a dead owner keeps nothing. */
class RunLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondOwnerInTheSameProcessIsRefusedUntilTheFirstLetsGo() throws Exception {
        RunLock first = RunLock.acquire(dir);
        RunLock.HeldException held = assertThrows(RunLock.HeldException.class, () -> RunLock.acquire(dir.resolve(".").resolve("")));
        assertTrue(held.getMessage().contains("in use by another experiment of this process"), held.getMessage());
        assertTrue(RunLock.isHeld(dir));
        assertTrue(RunLock.heldHere().contains(dir.toAbsolutePath().normalize()));
        first.close();
        first.close();  // idempotent
        assertFalse(RunLock.isHeld(dir));
        RunLock.acquire(dir).close();
    }

    @Test
    void anotherProcessIsNamedAndItsDeathFreesTheDirectory() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), HoldLock.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertTrue(out.readLine().startsWith("held "), "the other process took the lock");
            RunLock.HeldException held = assertThrows(RunLock.HeldException.class, () -> RunLock.acquire(dir));
            assertEquals(dir.toAbsolutePath().normalize() + ": in use by " + Manifest.thisHost() + " pid " + holder.pid()
                    + "; wait for it to end, or stop it first", held.getMessage());
            assertTrue(RunLock.isHeld(dir));
        } finally {
            holder.destroyForcibly();  // kill -9: the owner cannot release anything itself
            assertTrue(holder.waitFor(1, TimeUnit.MINUTES));
        }
        assertFalse(RunLock.isHeld(dir), "the kernel released the dead owner's lock");
        RunLock.acquire(dir).close();
    }

    @Test
    void resetEmptiesOnlyARunDirectoryOfTheSameExperiment() throws Exception {
        Path foreign = Files.createDirectories(dir.resolve("foreign"));
        Files.writeString(foreign.resolve("thesis.tex"), "years of work");
        RunDirectory notARun = new RunDirectory(foreign);
        java.io.IOException refused = assertThrows(java.io.IOException.class, () -> notARun.reset("exp"));
        assertTrue(refused.getMessage().contains("holds thesis.tex but no spec.json") && refused.getMessage().contains("nothing in it was deleted"),
                refused.getMessage());
        assertEquals("years of work", Files.readString(foreign.resolve("thesis.tex")));

        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("spec.json"), "{\"name\": \"someone-else\"}");
        Files.writeString(other.resolve("events.jsonl"), "{}\n");
        java.io.IOException named = assertThrows(java.io.IOException.class, () -> new RunDirectory(other).reset("exp"));
        assertTrue(named.getMessage().contains("experiment 'someone-else', not 'exp'"), named.getMessage());
        assertTrue(Files.exists(other.resolve("events.jsonl")));

        Path own = Files.createDirectories(dir.resolve("own"));
        Files.writeString(own.resolve("spec.json"), "{\"name\": \"exp\"}");
        Files.writeString(own.resolve("events.jsonl"), "{}\n");
        try (RunLock lock = RunLock.acquire(own)) {
            new RunDirectory(own).reset("exp");
            assertFalse(Files.exists(own.resolve("events.jsonl")));
            assertTrue(Files.exists(own.resolve(RunLock.FILE)), "the owner's lock file stays");
            assertTrue(Files.isDirectory(own.resolve("metrics")) && Files.isDirectory(own.resolve("checkpoints")));
        }

        Path emptyLayout = Files.createDirectories(dir.resolve("made-by-a-coordinator").resolve("metrics"));
        new RunDirectory(emptyLayout.getParent()).reset("exp");
    }
}
