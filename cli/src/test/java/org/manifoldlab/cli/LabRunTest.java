package org.manifoldlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabRunTest {

    @TempDir
    Path dir;

    private static final String SMALL = """
            name: small
            network: {widths: [32, 16]}
            training: {epochs: 1, batchSize: 256}
            data: {probeSamples: 200}
            analysis: {fitRanks: [2, 10]}
            attacks: {gaussian: {sigmas: [0, 0.3]}, fgsm: {epsilons: [0, 0.1]}, pgd: {epsilons: []}}
            """;

    private record Result(int code, String err) {
    }

    private static Result lab(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Result(Lab.execute(args), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void aBadSpecExitsTwoNamesEveryProblemAndCreatesNoRun() throws Exception {
        Path spec = dir.resolve("bad.yaml");
        Files.writeString(spec, "network: {widths: [10, 0]}\ntraining: {batchSize: -1, epoch: 3}\n");
        Path runs = dir.resolve("runs");
        Result r = lab("run", spec.toString(), "--runs-dir", runs.toString());
        assertEquals(2, r.code());
        assertEquals(List.of(
                "lab: " + spec + ": training.epoch: unknown key; did you mean 'epochs'?",
                "lab: " + spec + ": network.widths[1]: expected a positive integer, got 0",
                "lab: " + spec + ": training.batchSize: expected a positive integer, got -1"), r.err().lines().toList());
        assertFalse(Files.exists(runs), "no runs directory for a refused spec");
    }

    @Test
    void aMissingSpecFileAndABadOptionExitTwo() {
        Result missing = lab("run", dir.resolve("nope.yaml").toString(), "--runs-dir", dir.resolve("runs").toString());
        assertEquals(2, missing.code());
        assertEquals("lab: " + dir.resolve("nope.yaml") + ": no such file", missing.err().strip());
        assertEquals(2, lab("run", "--max-concurrent", "0", "--runs-dir", dir.resolve("runs").toString()).code());
        assertEquals(2, lab("run", "--no-such-option").code());
    }

    @Test
    void badClusterAddressesExitTwoWithTheOptionNamedAndStartNothing() throws Exception {
        Path spec = dir.resolve("small.yaml");
        Files.writeString(spec, SMALL);
        Path runs = dir.resolve("runs");
        Result sweep = lab("sweep", spec.toString(), "--cluster", "localhost", "--runs-dir", runs.toString());
        assertEquals(2, sweep.code());
        assertEquals("lab: --cluster: expected HOST:PORT, got localhost", sweep.err().strip());
        assertFalse(Files.exists(runs), "no runs directory for a refused sweep");
        Result port = lab("node", "--join", "127.0.0.1:99999");
        assertEquals(2, port.code());
        assertEquals("lab: --join: expected a port in 1..65535, got 99999", port.err().strip());
        Result loopback = lab("sweep", spec.toString(), "--cluster", "10.0.0.1:2552", "--runs-dir", runs.toString());
        assertEquals(2, loopback.code());
        assertEquals("lab: --host: 127.0.0.1 is loopback, so --cluster 10.0.0.1:2552 cannot reach this node; give this machine's address",
                loopback.err().strip());
        assertFalse(Files.exists(runs), "no runs directory for a refused sweep");
        Result open = lab("node", "--join", "10.0.0.1:2552", "--host", "10.0.0.2");
        assertEquals(2, open.code());
        assertTrue(open.err().strip().startsWith("lab: --host: 10.0.0.2 is reachable from other machines, and without TLS"), open.err());
        Result openSweep = lab("sweep", spec.toString(), "--cluster", "10.0.0.1:2552", "--host", "10.0.0.2", "--runs-dir", runs.toString());
        assertEquals(2, openSweep.code());
        assertTrue(openSweep.err().contains("give --tls DIR/NAME.p12"), openSweep.err());
        assertFalse(Files.exists(runs), "no runs directory for a refused sweep");
        Result several = lab("node", "--join", "127.0.0.1:x", "--slots", "0", "--role", "gpu", "--runs-dir", "shared", "--local-runs", "own");
        assertEquals(2, several.code());
        assertEquals(List.of("lab: --join: expected HOST:PORT with a numeric port, got 127.0.0.1:x",
                "lab: --role: expected compute or seed, got gpu",
                "lab: --runs-dir and --local-runs: give one (a shared runs directory, or one of this node's own whose runs are streamed to the coordinator)",
                "lab: --slots: expected a positive integer, got 0"),
                several.err().lines().toList());
    }

    @Test
    void twoProcessesStartedAtOnceWriteTwoRunDirectories() throws Exception {
        Path spec = dir.resolve("small.yaml");
        Files.writeString(spec, SMALL);
        Path runs = dir.resolve("runs");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = Stream.of(1, 2).map(i -> {
            try {
                return new ProcessBuilder(java, "-Xmx1g", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                        Lab.class.getName(), "run", spec.toString(), "--runs-dir", runs.toString())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("p" + i + ".log").toFile()).start();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
        for (Process p : processes) {
            assertTrue(p.waitFor(3, TimeUnit.MINUTES), "a run finished");
            assertEquals(0, p.exitValue(), Files.readString(dir.resolve("p1.log")) + Files.readString(dir.resolve("p2.log")));
        }
        try (Stream<Path> s = Files.list(runs)) {
            List<Path> made = s.toList();
            assertEquals(2, made.size(), "two run directories: " + made);
            for (Path run : made) {
                assertTrue(Files.readString(run.resolve("manifest.json")).contains("\"completed\""), run.toString());
            }
        }
    }
}
