package org.manifoldlab.actors.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        return Preflight.check(List.of(spec), runs, Map.of(spec.data().source(), MNIST), memory, GB);
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

    /**
     * The data set lives on the Java heap, and the optimizer's state too while it is at most an
     * eighth of -Xmx: counted by hand, and refused past 3/4 of -Xmx.
     */
    @Test
    void theHeapMustHoldTheDataAndASmallOptimizerState() {
        long data = 10000L * 784 * 2 * 4;
        long defaultParameters = (784L * 1000 + 1000 + 1000 * 10 + 10) + 4 * (1000L * 1000 + 1000 + 1000 * 10 + 10);
        Preflight.Estimate quick = Preflight.estimate(TestSpecs.parse("name: quick\n"), MNIST, GB);
        assertTrue(quick.stateOnHeap(), "784-5x1000's 38 MB of moments fit an eighth of 1 GB");
        assertEquals(data + defaultParameters * 2 * 4, quick.heapBytes());
        ExperimentSpec wide = TestSpecs.parse("name: wide\nnetwork: {widths: [4000, 4000, 4000, 4000, 4000]}\n");
        Preflight.Estimate w = Preflight.estimate(wide, MNIST, GB);
        assertFalse(w.stateOnHeap(), "784-5x4000's 540 MB of moments stay native at -Xmx1g");
        assertEquals(data, w.heapBytes());
        assertTrue(Preflight.estimate(wide, MNIST, 8 * GB).stateOnHeap(), "and go on the heap at -Xmx8g");
        ExperimentSpec sgd = TestSpecs.parse("name: quick\ntraining: {optimizer: {type: sgd, learningRate: 0.01}}\n");
        assertEquals(data + defaultParameters * 4, Preflight.estimate(sgd, MNIST, GB).heapBytes(), "SGD keeps one velocity");
        // a data set of a million images does not fit a 1 GB heap
        DataSources.Shape big = new DataSources.Shape(784, 10, 1_000_000, 0);
        ExperimentSpec spec = TestSpecs.parse("name: quick\n");
        Preflight.Result r = Preflight.check(List.of(spec), dir, Map.of(spec.data().source(), big), 64 * GB, GB);
        assertEquals(1, r.problems().size(), r.problems().toString());
        assertEquals("quick: needs about 5.9 GB of Java heap (the data set, and the optimizer's state of 4.8e+06 parameters); this process may"
                + " fill 768.0 MB of it (75% of -Xmx 1.0 GB; LAB_JAVA_OPTS=-Xmx... raises it)", r.problems().get(0));
        assertEquals(List.of(), Preflight.check(List.of(spec), dir, Map.of(spec.data().source(), MNIST), 64 * GB, GB).problems());
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
