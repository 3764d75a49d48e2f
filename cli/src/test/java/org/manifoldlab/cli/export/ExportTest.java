package org.manifoldlab.cli.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.cli.BadInputTest;

/** lab export: the tidy table's columns and rows, .npy files that numpy reads with the right shapes and values, and lab clean. */
class ExportTest {

    @TempDir
    static Path dir;
    static Path sweep;

    @BeforeAll
    static void sweepOfTwoSeeds() throws Exception {
        Path spec = Files.writeString(dir.resolve("tiny.yaml"), """
                name: tiny
                network: {widths: [24, 12]}
                training: {epochs: 2, batchSize: 256}
                data: {probeSamples: 300}
                analysis: {fitRanks: [2, 10]}
                attacks: {gaussian: {sigmas: [0.3]}, fgsm: {epsilons: [0.1]}, pgd: {epsilons: []}}
                """);
        assertEquals(0, BadInputTest.lab("sweep", spec.toString(), "-m", "seed=1,2", "--runs-dir", dir.resolve("runs").toString()).code());
        try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
            sweep = s.findFirst().orElseThrow();
        }
    }

    @Test
    void theTableHasARowPerRunAndLayerWithTheVariedKeyFirst() throws Exception {
        BadInputTest.Result r = BadInputTest.lab("export", sweep.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        List<String> header = List.of(lines.get(0).split(","));
        assertEquals(List.of("run", "status", "seed", "name"), header.subList(0, 4), "the swept key comes first");
        for (String column : List.of("network.widths", "training.epochs", "epoch", "layer", "test_accuracy", "test_loss", "alpha", "r2",
                "participation_ratio")) {
            assertTrue(header.contains(column), column + " in " + header);
        }
        assertEquals(1 + 2 * 2, lines.size(), "2 runs x 2 layers, at the last epoch");
        assertTrue(lines.stream().skip(1).allMatch(l -> l.contains(",completed,")));
        BadInputTest.Result long_ = BadInputTest.lab("export", sweep.toString(), "--per-epoch");
        assertEquals(1 + 2 * 2 * 2, long_.out().lines().count(), "2 runs x 2 epochs x 2 layers");
    }

    @Test
    void arraysAreReadByNumpyWithTheirShapesAndValues() throws Exception {
        Path run;
        try (Stream<Path> s = Files.list(sweep)) {
            run = s.filter(Files::isDirectory).sorted().findFirst().orElseThrow();
        }
        assertEquals(0, BadInputTest.lab("export", run.toString(), "--arrays").code());
        String python = numpyPython();
        Process p = new ProcessBuilder(python, "-c", String.join("\n",
                "import numpy as np",
                "d = '" + run.resolve("arrays") + "/'",
                "x, W1, b1, h1, W2, b2, h2 = (np.load(d + n + '.npy') for n in ['x', 'W1', 'b1', 'h1', 'W2', 'b2', 'h2'])",
                "print(x.shape, W1.shape, b1.shape, h1.shape, W2.shape, h2.shape, np.load(d + 'B2.npy').shape, np.load(d + 'y.npy').shape)",
                "print(float(np.abs(np.maximum(x @ W1 + b1, 0) - h1).max()), float(np.abs(np.maximum(h1 @ W2 + b2, 0) - h2).max()))"))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        assertEquals("(300, 784) (784, 24) (1, 24) (300, 24) (24, 12) (300, 12) (12, 10) (300, 1)", lines.get(0));
        for (String err : lines.get(1).split(" ")) {
            assertTrue(Double.parseDouble(err) < 1e-4, "numpy recomputes each layer's activations from the weights: " + lines.get(1));
        }
    }

    /** python3 with numpy: CI installs Debian's python3-numpy, so there it must be found; elsewhere the test is skipped without it. */
    private static String numpyPython() throws Exception {
        for (String python : List.of("python3", "/usr/bin/python3")) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import numpy").redirectErrorStream(true).start();
                if (p.waitFor(1, TimeUnit.MINUTES) && p.exitValue() == 0) {
                    return python;
                }
            } catch (java.io.IOException missing) {
                // try the next
            }
        }
        if (System.getenv("CI") != null) {
            throw new AssertionError("numpy is missing: .ci/run installs python3-numpy");
        }
        Assumptions.abort("numpy is not installed here (CI installs python3-numpy)");
        return null;
    }

    @Test
    void cleanRemovesTheCheckpointsOfCompletedRunsAndSaysWhatItFreed() throws Exception {
        Path copy = Files.createDirectories(dir.resolve("copy"));
        try (Stream<Path> s = Files.walk(sweep)) {
            for (Path p : s.toList()) {
                Path target = copy.resolve(sweep.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        BadInputTest.Result r = BadInputTest.lab("clean", copy.toString());
        assertEquals(0, r.code());
        assertTrue(r.out().strip().matches("(?s).*tiny-001-\\S+\\s+[0-9.]+ MB.*freed [0-9.]+ MB"), r.out());
        try (Stream<Path> s = Files.walk(copy)) {
            assertEquals(0, s.filter(p -> p.getFileName().toString().startsWith("ckpt-")).count());
        }
    }
}
