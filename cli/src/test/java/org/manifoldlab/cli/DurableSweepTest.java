package org.manifoldlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep survives its coordinator: lab sweep in a process of its own is killed (SIGKILL) at
 * three moments, and lab sweep --resume finishes it with every member's fingerprint and metrics
 * equal to an uninterrupted sweep's. The moments are watched for in the run directories; a kill
 * that lands later than its moment still tests a resume.
 */
class DurableSweepTest {

    private static final String SPEC = """
            name: durable
            network: {widths: [256, 128]}
            training: {epochs: 4, batchSize: 128}
            data: {probeSamples: 500}
            analysis: {fitRanks: [2, 20]}
            attacks: {gaussian: {sigmas: [0, 0.3]}, fgsm: {epsilons: [0, 0.1]}, pgd: {epsilons: [0.1], steps: 5}}
            checkpoint: {afterCompletion: all}
            sweep: {seed: [1, 2, 3, 4]}
            """;
    private static final List<String> METRICS = List.of("train.csv", "spectrum.csv", "spectrum-summary.csv", "robustness.csv");

    @TempDir
    static Path dir;
    static Path spec;
    /** member name -> fingerprint, and member name + file -> bytes, of the uninterrupted sweep */
    static final Map<String, String> FINGERPRINTS = new HashMap<>();
    static final Map<String, byte[]> CSVS = new HashMap<>();

    /** Its probes wait for the moments, polling the run directories with a deadline. */
    private static final ActorTestKit KIT = ActorTestKit.create();

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    @BeforeAll
    static void uninterrupted() throws Exception {
        spec = Files.writeString(dir.resolve("durable.yaml"), SPEC);
        assertEquals(0, BadInputTest.lab("sweep", spec.toString(), "--runs-dir", dir.resolve("whole").toString(), "--max-concurrent", "2").code());
        for (Path member : members(onlyChild(dir.resolve("whole")))) {
            String name = nameOf(member);
            FINGERPRINTS.put(name, field(member, "fingerprint"));
            for (String csv : METRICS) {
                CSVS.put(name + "/" + csv, Files.readAllBytes(member.resolve("metrics").resolve(csv)));
            }
        }
        assertEquals(4, FINGERPRINTS.size());
    }

    @Test
    void killedAfterTheFirstMemberCompleted() throws Exception {
        killAndResume("first-done", members -> members.stream().anyMatch(m -> "completed".equals(status(m))));
    }

    @Test
    void killedWhileTwoMembersRun() throws Exception {
        killAndResume("two-running", members -> members.stream().filter(m -> events(m).contains("\"epoch-trained\"")
                && !"completed".equals(status(m))).count() >= 2);
    }

    @Test
    void killedDuringTheLastMembersAttacks() throws Exception {
        killAndResume("last-attacks", members -> members.stream().filter(m -> nameOf(m).endsWith("-004"))
                .anyMatch(m -> events(m).contains("\"attack-progress\"") && !events(m).contains("\"experiment-completed\"")));
    }

    private void killAndResume(String label, Predicate<List<Path>> moment) throws Exception {
        Path runs = dir.resolve(label);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process sweep = new ProcessBuilder(java, "-Xmx1g", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Lab.class.getName(), "sweep", spec.toString(), "--runs-dir", runs.toString(), "--max-concurrent", "2")
                .redirectErrorStream(true).redirectOutput(dir.resolve(label + ".log").toFile()).start();
        try {
            // the file system polled for the moment; nothing asserted depends on when it is seen
            KIT.createTestProbe().awaitAssert(Duration.ofMinutes(5), Duration.ofMillis(10), () -> {
                assertTrue(sweep.isAlive(), "the sweep was still running at the moment " + label);
                assertTrue(moment.test(planned(runs)), "the moment " + label + " came");
                return null;
            });
        } finally {
            sweep.destroyForcibly();  // SIGKILL: the coordinator has no chance to tidy up
        }
        assertTrue(sweep.waitFor(1, TimeUnit.MINUTES));
        Path sweepDir = onlyChild(runs);
        BadInputTest.Result resumed = BadInputTest.lab("sweep", "--resume", sweepDir.toString(), "--max-concurrent", "2");
        assertEquals(0, resumed.code(), resumed.err() + Files.readString(dir.resolve(label + ".log")));
        List<Path> members = members(sweepDir);
        assertEquals(4, members.size());
        for (Path member : members) {
            String name = nameOf(member);
            assertEquals("completed", status(member), name);
            assertEquals(FINGERPRINTS.get(name), field(member, "fingerprint"), name + " equals the uninterrupted sweep's");
            for (String csv : METRICS) {
                assertArrayEquals(CSVS.get(name + "/" + csv), Files.readAllBytes(member.resolve("metrics").resolve(csv)), name + " " + csv);
            }
        }
        assertTrue(Files.readString(sweepDir.resolve("sweep.json")).contains("\"status\" : \"completed\""));
    }

    private static List<Path> planned(Path runs) {
        try {
            return Files.isDirectory(runs) ? members(onlyChild(runs)) : List.of();
        } catch (Exception e) {
            return List.of();
        }
    }

    private static Path onlyChild(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    private static List<Path> members(Path sweepDir) throws Exception {
        try (Stream<Path> s = Files.list(sweepDir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    private static String nameOf(Path member) {
        return member.getFileName().toString().replaceAll("-\\d{8}-\\d{6}(-\\d+)?$", "");
    }

    private static String status(Path member) {
        try {
            return field(member, "status");
        } catch (Exception e) {
            return "";
        }
    }

    private static String events(Path member) {
        try {
            return Files.readString(member.resolve("events.jsonl"));
        } catch (Exception e) {
            return "";
        }
    }

    private static String field(Path member, String key) throws Exception {
        return org.manifoldlab.rundir.RunDirectory.JSON.readTree(member.resolve("manifest.json").toFile()).path(key).asText();
    }
}
