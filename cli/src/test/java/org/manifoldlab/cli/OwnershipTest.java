package org.manifoldlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.rundir.RunDirectory;
import org.manifoldlab.rundir.RunLock;

/**
 * One process (and one experiment) owns a run directory: a second resume is refused naming the
 * owner, and the one that runs ends exactly as an uninterrupted run. Also: SIGTERM leaves the
 * run interrupted, says how to continue, and exits 143.
 */
class OwnershipTest {

    private static final String SPEC = """
            name: owned
            seed: 3
            network: {widths: [32, 16]}
            training: {epochs: 3, batchSize: 256}
            data: {probeSamples: 200}
            analysis: {fitRanks: [2, 10]}
            attacks: {gaussian: {sigmas: [0, 0.3]}, fgsm: {epsilons: [0, 0.1]}, pgd: {epsilons: []}}
            checkpoint: {afterCompletion: all}
            """;
    private static final List<String> METRICS = List.of("train.csv", "spectrum.csv", "spectrum-summary.csv", "robustness.csv");

    /** Its probes wait for a lock or a first epoch, polling the files with a deadline. */
    private static final ActorTestKit KIT = ActorTestKit.create();

    @TempDir
    Path dir;

    @AfterAll
    static void shutdownKit() {
        KIT.shutdownTestKit();
    }

    private static Path onlyRun(Path runs) throws Exception {
        try (Stream<Path> s = Files.list(runs)) {
            List<Path> made = s.toList();
            assertEquals(1, made.size(), made.toString());
            return made.get(0);
        }
    }

    /** A copy of a completed run as a process killed during its last epoch would leave it: the newest checkpoint gone, still "running". */
    private Path interruptedCopy(Path run) throws Exception {
        return interruptedCopy(run, "interrupted");
    }

    private Path interruptedCopy(Path run, String where) throws Exception {
        Path copy = Files.createDirectories(dir.resolve(where).resolve(run.getFileName()));
        try (Stream<Path> files = Files.walk(run)) {
            for (Path p : files.toList()) {
                Path target = copy.resolve(run.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().startsWith("ckpt-e0003") && !p.getFileName().toString().equals(RunLock.FILE)) {
                    Files.copy(p, target);
                }
            }
        }
        Path manifest = copy.resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"completed\"", "\"running\""));
        return copy;
    }

    @Test
    void twoResumesAtOnceOneRefusedTheOtherEqualToAnUninterruptedRun() throws Exception {
        Path spec = Files.writeString(dir.resolve("owned.yaml"), SPEC);
        Path runs = dir.resolve("runs");
        assertEquals(0, BadInputTest.lab("run", spec.toString(), "--runs-dir", runs.toString()).code());
        Path whole = onlyRun(runs);
        Path copy = interruptedCopy(whole);

        Path lost = interruptedCopy(whole, "metrics-lost");
        try (Stream<Path> csvs = Files.list(lost.resolve("metrics"))) {
            for (Path csv : csvs.toList()) {
                Files.delete(csv);
            }
        }
        Files.delete(lost.resolve("metrics"));
        BadInputTest.Result refused = BadInputTest.lab("resume", lost.toString());
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("train.csv: holds 0 rows, but checkpoint ckpt-e0002.json was written after"), refused.err());

        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> Lab.execute("resume", copy.toString()));
        KIT.createTestProbe().awaitAssert(Duration.ofMinutes(1), Duration.ofMillis(1), () -> {
            assertTrue(RunLock.isHeld(copy) || first.isDone(), "the first resume owns the directory");
            return null;
        });
        BadInputTest.Result second = BadInputTest.lab("resume", copy.toString());
        assertEquals(0, first.get(5, TimeUnit.MINUTES), "the first resume completes");
        assertEquals(2, second.code(), second.err());
        assertTrue(second.err().contains(copy.toAbsolutePath().normalize() + ": in use by another experiment of this process"), second.err());

        JsonNode a = RunDirectory.JSON.readTree(whole.resolve("manifest.json").toFile());
        JsonNode b = RunDirectory.JSON.readTree(copy.resolve("manifest.json").toFile());
        assertEquals("completed", b.path("status").asText());
        assertEquals(a.path("fingerprint").asText(), b.path("fingerprint").asText());
        for (String csv : METRICS) {
            assertArrayEquals(Files.readAllBytes(whole.resolve("metrics").resolve(csv)), Files.readAllBytes(copy.resolve("metrics").resolve(csv)),
                    csv + " byte for byte, no row twice");
        }
    }

    @Test
    void aResumeWhileAnotherProcessResumesTheRunIsRefusedNamingIt() throws Exception {
        Path spec = Files.writeString(dir.resolve("owned.yaml"), SPEC);
        Path runs = dir.resolve("runs");
        assertEquals(0, BadInputTest.lab("run", spec.toString(), "--runs-dir", runs.toString()).code());
        Path whole = onlyRun(runs);
        Path copy = interruptedCopy(whole);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process other = new ProcessBuilder(java, "-Xmx1g", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Lab.class.getName(), "resume", copy.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("other.log").toFile()).start();
        String owner = "pid " + other.pid();
        // the other process owns the directory once it has written its pid into the lock file
        KIT.createTestProbe().awaitAssert(Duration.ofMinutes(1), Duration.ofMillis(1), () -> {
            assertTrue(lockFileNames(copy, owner) || !other.isAlive(), "the other process owns the directory");
            return null;
        });
        BadInputTest.Result refused = BadInputTest.lab("resume", copy.toString());
        assertTrue(other.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, other.exitValue(), Files.readString(dir.resolve("other.log")));
        assertEquals(2, refused.code(), refused.err());
        assertEquals("lab: " + copy.toAbsolutePath().normalize() + ": in use by " + org.manifoldlab.rundir.Manifest.thisHost()
                + " pid " + other.pid() + "; wait for it to end, or stop it first", refused.err().strip());
        assertEquals(RunDirectory.JSON.readTree(whole.resolve("manifest.json").toFile()).path("fingerprint").asText(),
                RunDirectory.JSON.readTree(copy.resolve("manifest.json").toFile()).path("fingerprint").asText());
    }

    /**
     * SIGTERM only: a process started in the background by a non-interactive shell (as CI's) has
     * SIGINT ignored, which the JVM honours; Ctrl-C takes the same path in a terminal.
     */
    @Test
    void sigtermLeavesTheRunInterruptedSaysHowToContinueAndExits143() throws Exception {
        Path spec = Files.writeString(dir.resolve("long.yaml"), SPEC.replace("epochs: 3", "epochs: 200").replace("[32, 16]", "[256, 256]"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (String signal : List.of("TERM")) {
            Path runs = dir.resolve("runs-" + signal);
            Path log = dir.resolve(signal + ".log");
            Process lab = new ProcessBuilder(java, "-Xmx1g", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    Lab.class.getName(), "run", spec.toString(), "--runs-dir", runs.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Path run;
            try {
                // the file system polled for the child's first epoch; no assertion depends on the pace
                run = KIT.createTestProbe().awaitAssert(Duration.ofMinutes(3), Duration.ofMillis(10), () -> {
                    assertTrue(lab.isAlive(), "the run is still going: " + read(log));
                    Path trained = trainedRun(runs);
                    assertTrue(trained != null, "the run trained an epoch");
                    return trained;
                });
            } catch (AssertionError | RuntimeException e) {
                lab.destroyForcibly();  // it never trained an epoch: the child does not outlive the test
                throw e;
            }
            new ProcessBuilder("kill", "-" + signal, Long.toString(lab.pid())).start().waitFor();
            assertTrue(lab.waitFor(2, TimeUnit.MINUTES), "the process ended");
            String output = Files.readString(log);
            assertEquals(signal.equals("TERM") ? 143 : 130, lab.exitValue(), output);
            assertTrue(output.contains("continue with: lab resume " + run.toAbsolutePath().normalize()), output);
            JsonNode manifest = RunDirectory.JSON.readTree(run.resolve("manifest.json").toFile());
            assertEquals("interrupted", manifest.path("status").asText(), manifest.toString());
            assertTrue(!RunLock.isHeld(run));
        }
    }

    private static boolean lockFileNames(Path run, String owner) {
        try {
            return Files.readString(run.resolve(RunLock.FILE)).contains(owner);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The run under runs that has trained an epoch, or null. */
    private static Path trainedRun(Path runs) {
        if (!Files.isDirectory(runs)) {
            return null;
        }
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(r -> Files.exists(r.resolve("events.jsonl"))).filter(OwnershipTest::trainedAnEpoch).findFirst().orElse(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static boolean trainedAnEpoch(Path run) {
        try {
            return Files.readString(run.resolve("events.jsonl")).contains("\"epoch-trained\"");
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
