package org.manifoldlab.actors.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.actors.TestSpecs;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.core.data.DataSources;

class PreflightTest {

    private static final DataSources.Shape MNIST = new DataSources.Shape(784, 10, 8000, 2000);
    private static final long GB = 1L << 30;

    @TempDir
    Path dir;

    private static Preflight.Result check(String yaml, Path runs, long memory) {
        ExperimentSpec spec = TestSpecs.parse(yaml);
        return Preflight.check(List.of(spec), runs, Map.of(spec.data().source(), MNIST), memory);
    }

    @Test
    void theEstimateCountsParametersByHand() {
        // 784-100-50 with 10 classes: weights, biases and each layer's readout (width x 10, and 10 biases)
        long parameters = (784 * 100 + 100 + 100 * 10 + 10) + (100 * 50 + 50 + 50 * 10 + 10);
        assertEquals(85070, parameters);
        Preflight.Estimate e = Preflight.estimate(TestSpecs.parse("network: {widths: [100, 50]}"), MNIST);
        assertEquals(parameters, e.parameters());
        assertEquals(784 * 100, e.largestMatrix());
        assertEquals(parameters * 3 * 4, e.checkpointBytes(), "weights and Adam's two moments in single precision");
    }

    @Test
    void theSpectralPenaltysBuffersCountByHand() {
        // 784-100-50, penalty on layer 2 with batch 120: the input batch (784 x 120 floats), layers 1
        // and 2's h, dh, scratch of it (3 x 120 x width floats), and layer 2's Hc and dHc (2 x 120 x 50
        // doubles) and six 50 x 50 double matrices
        long expected = 784L * 120 * 4 + 3L * 120 * 100 * 4 + 3L * 120 * 50 * 4 + 2L * 120 * 50 * 8 + 6L * 50 * 50 * 8;
        String net = "network: {widths: [100, 50]}\n";
        ExperimentSpec penalised = TestSpecs.parse(net + "training: {spectralPenalty: {layers: [2], batch: 120}}");
        assertEquals(expected, Preflight.penaltyBytes(penalised, 784));
        assertEquals(expected, Preflight.estimate(penalised, MNIST).bytes() - Preflight.estimate(TestSpecs.parse(net), MNIST).bytes());
    }

    @Test
    void aBillionUnitsAreRefusedWithTheEstimateAndTheLimit() {
        Preflight.Result r = check("name: huge\nnetwork: {widths: [1000000000]}\n", dir, 4 * GB);
        assertEquals(1, r.problems().size(), r.problems().toString());
        assertTrue(r.problems().get(0).startsWith("huge: network.widths: a weight matrix of 7.8e+11 entries"), r.problems().get(0));
        Preflight.Result wide = check("name: wide\nnetwork: {widths: [20000, 20000, 20000]}\n", dir, 4 * GB);
        assertTrue(wide.problems().get(0).startsWith("wide: needs about ") && wide.problems().get(0).contains("this process may use 4.0 GB"),
                wide.problems().get(0));
    }

    /** The data set and the optimizer's state live on the Java heap: counted by hand, and refused past 3/4 of -Xmx. */
    @Test
    void theHeapMustHoldTheDataAndAdamsMoments() {
        String wide = "name: wide\nnetwork: {widths: [4000, 4000, 4000, 4000, 4000]}\n";
        long parameters = (784L * 4000 + 4000 + 4000 * 10 + 10) + 4 * (4000L * 4000 + 4000 + 4000 * 10 + 10);
        long heap = 10000L * 784 * 2 * 4 + parameters * 2 * 4;
        assertEquals(601_568_400L, heap);
        assertEquals(heap, Preflight.estimate(TestSpecs.parse(wide), MNIST).heapBytes());
        ExperimentSpec spec = TestSpecs.parse(wide);
        Map<String, DataSources.Shape> shapes = Map.of(spec.data().source(), MNIST);
        Preflight.Result small = Preflight.check(List.of(spec), dir, shapes, 64 * GB, 512L << 20);
        assertEquals(1, small.problems().size(), small.problems().toString());
        assertTrue(small.problems().get(0).startsWith("wide: needs about 573.7 MB of Java heap (the data set, and the optimizer's state of 6.7e+07"
                + " parameters); this process's heap holds at most 512.0 MB, of which 75% is for these"), small.problems().get(0));
        assertEquals(List.of(), Preflight.check(List.of(spec), dir, shapes, 64 * GB, GB).problems());
        ExperimentSpec sgd = TestSpecs.parse(wide + "training: {optimizer: {type: sgd, learningRate: 0.01}}\n");
        assertEquals(10000L * 784 * 2 * 4 + parameters * 4, Preflight.estimate(sgd, MNIST).heapBytes(), "SGD keeps one velocity");
        assertEquals(List.of(), Preflight.check(List.of(sgd), dir, shapes, 64 * GB, 512L << 20).problems());
    }

    @Test
    void theDefaultExperimentFitsTheDefaultProcess() {
        Preflight.Result r = check("name: quick\n", dir, 4 * GB);
        assertEquals(List.of(), r.problems());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void aBillionPgdStepsOnlyWarnsWithAnEstimate() {
        Preflight.Result r = check("name: patient\nattacks: {pgd: {epsilons: [0.1], steps: 1000000000}}\n", dir, 4 * GB);
        assertEquals(List.of(), r.problems());
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).matches("patient: about [0-9.e+]+ years of computing at 50 GFLOP/s \\(training .*, attacks .*\\); it runs as asked"),
                r.warnings().get(0));
    }

    @Test
    void aRunsDirectoryMustBeOrBecomeAWritableDirectory() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertEquals(List.of("--runs-dir " + file + ": is a file, not a directory"), check("name: a\n", file, 4 * GB).problems());
        Path under = file.resolve("runs");
        assertEquals(List.of("--runs-dir " + under + ": cannot be made: " + file + " is a file, not a directory"),
                check("name: a\n", under, 4 * GB).problems());
        assertEquals(List.of(), check("name: a\n", dir.resolve("new").resolve("runs"), 4 * GB).problems());
    }
}
