package org.manifoldlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.rundir.RunDirectory;

/**
 * A cluster sweep survives its coordinator: two lab node processes on loopback, a lab sweep
 * --cluster process SIGKILLed while two members run on the nodes, then lab sweep --resume
 * --cluster finishes it. The nodes finish the jobs they hold; the new coordinator keeps what
 * completed, waits for the directories still owned (a slot declines, the job is offered again)
 * and places the rest: every fingerprint equals a sweep on one machine. Downing is shortened
 * to 2 s through -D settings, as a user can with LAB_JAVA_OPTS.
 */
class DurableClusterSweepTest {

    private static final String SPEC = """
            name: clustered
            network: {widths: [128, 64]}
            training: {epochs: 3, batchSize: 128}
            data: {probeSamples: 300}
            analysis: {fitRanks: [2, 20]}
            attacks: {gaussian: {sigmas: [0.3]}, fgsm: {epsilons: [0.1]}, pgd: {epsilons: []}}
            sweep: {seed: [1, 2, 3, 4]}
            """;
    private static final List<String> FAST = List.of("-Dpekko.cluster.split-brain-resolver.stable-after=2s",
            "-Dpekko.cluster.failure-detector.acceptable-heartbeat-pause=2s", "-Dmanifold-lab.cluster.retry-busy-slot=500ms");

    /** Its probe waits for two members in training, polling the shared directory with a deadline. */
    private static final ActorTestKit KIT = ActorTestKit.create();

    @TempDir
    Path dir;

    @AfterAll
    static void shutdownKit() {
        KIT.shutdownTestKit();
    }

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
    }

    private Process lab(String log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-XX:TieredStopAtLevel=1"));
        command.addAll(FAST);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Lab.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
        processes.add(p);
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aCoordinatorKilledMidSweepIsResumedOnTheClusterWithTheFingerprintsOfOneMachine() throws Exception {
        Path spec = Files.writeString(dir.resolve("clustered.yaml"), SPEC);
        assertEquals(0, BadInputTest.lab("sweep", spec.toString(), "--runs-dir", dir.resolve("local").toString(), "--max-concurrent", "2").code());
        List<String> expected = fingerprints(onlyChild(dir.resolve("local")));

        Path runs = Files.createDirectories(dir.resolve("shared"));
        String seed = "127.0.0.1:" + freePort();
        lab("node-a.log", "node", "--join", seed, "--port", seed.substring(seed.indexOf(':') + 1), "--runs-dir", runs.toString());
        lab("node-b.log", "node", "--join", seed, "--port", "0", "--runs-dir", runs.toString());
        Process coordinator = lab("coordinator.log", "sweep", spec.toString(), "--cluster", seed, "--runs-dir", runs.toString());
        // the shared directory polled until two members are in training
        KIT.createTestProbe().awaitAssert(Duration.ofMinutes(4), Duration.ofMillis(10), () -> {
            assertTrue(coordinator.isAlive(), "the coordinator was still running at the kill: " + read(dir.resolve("coordinator.log")));
            assertTrue(running(runs) >= 2, "two members in training");
            return null;
        });
        coordinator.destroyForcibly();
        assertTrue(coordinator.waitFor(1, TimeUnit.MINUTES));

        Path sweep = onlyChild(runs);
        Process resumed = lab("resumed.log", "sweep", "--resume", sweep.toString(), "--cluster", seed);
        assertTrue(resumed.waitFor(5, TimeUnit.MINUTES), "the resumed sweep ended");
        assertEquals(0, resumed.exitValue(), Files.readString(dir.resolve("resumed.log")));
        assertEquals(expected, fingerprints(sweep));
        Files.readString(dir.resolve("resumed.log")).lines().filter(l -> l.contains("declined") || l.contains("from its checkpoint")
                || l.contains("completed on")).forEach(System.out::println);  // what the resumed coordinator did, for the log
    }

    /** Members whose events show a trained epoch and no end yet. */
    private static long running(Path runs) {
        try {
            return members(onlyChild(runs)).stream().filter(m -> {
                String events = read(m.resolve("events.jsonl"));
                return events.contains("\"epoch-trained\"") && !events.contains("\"experiment-completed\"");
            }).count();
        } catch (Exception notYet) {
            return 0;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static List<String> fingerprints(Path sweep) throws Exception {
        List<String> out = new ArrayList<>();
        for (Path m : members(sweep)) {
            out.add(RunDirectory.JSON.readTree(m.resolve("manifest.json").toFile()).path("fingerprint").asText());
        }
        return out;
    }

    private static Path onlyChild(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    private static List<Path> members(Path sweep) throws IOException {
        try (Stream<Path> s = Files.list(sweep)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }
}
