package org.manifoldlab.actors.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.actors.TestSpecs;

class AdmissionTest {

    @TempDir
    Path dir;

    @Test
    void workingSetCountsWeightsBiasesAndReadoutsTimesTheOptimizersCopies() {
        // 784-100-50: layer 1 784*100 + 100, readout 100*10 + 10; layer 2 100*50 + 50, readout 50*10 + 10.
        long parameters = 78_400 + 100 + 1_000 + 10 + 5_000 + 50 + 500 + 10;
        assertEquals(parameters * 4 * 4, Admission.workingSetBytes(TestSpecs.parse("network: {widths: [100, 50]}")));
        assertEquals(parameters * 3 * 4, Admission.workingSetBytes(TestSpecs.parse(
                "network: {widths: [100, 50]}\ntraining: {optimizer: {type: sgd, learningRate: 0.1, momentum: 0.9}}")));
        assertEquals(parameters * 2 * 4, Admission.workingSetBytes(TestSpecs.parse(
                "network: {widths: [100, 50]}\ntraining: {optimizer: {type: sgd, learningRate: 0.1, momentum: 0}}")));
    }

    @Test
    void theCountLimitAlwaysHoldsAndOneAlwaysStarts() {
        Admission fixed = Admission.fixed(2);
        assertTrue(fixed.admits(List.of(), Long.MAX_VALUE));
        assertTrue(fixed.admits(List.of(1L << 40), 1L << 40));
        assertFalse(fixed.admits(List.of(1L, 1L), 1L));
        assertTrue(new Admission(1, 100).admits(List.of(), 1_000));
        assertThrows(IllegalArgumentException.class, () -> Admission.fixed(0));
    }

    @Test
    void withACacheExperimentsShareItOnlyWhenTheyFitTogetherOrEachOverflowsAlone() {
        Admission a = new Admission(4, 100);
        assertTrue(a.admits(List.of(40L, 30L), 30));   // 100 fit together
        assertFalse(a.admits(List.of(40L, 30L), 31));  // 101 do not
        assertFalse(a.admits(List.of(60L), 60));       // each fits alone, two do not: they would evict each other
        assertTrue(a.admits(List.of(150L, 120L), 101)); // each streams from memory anyway
        assertFalse(a.admits(List.of(150L, 50L), 101)); // the small one would lose its cache
        assertFalse(a.admits(List.of(150L), 50));
    }

    /** Experiments in one process share its heap and memory: one that would overflow either beside the running ones waits. */
    @Test
    void runningExperimentsShareTheHeapAndTheMemory() {
        Admission a = new Admission(4, 0, java.util.Map.of(), 100, 1_000);
        Admission.Footprint f = new Admission.Footprint(1, 40, 300);
        assertTrue(a.admitsFootprint(List.of(), new Admission.Footprint(1, 500, 5_000)), "one always starts (preflight sized it alone)");
        assertTrue(a.admitsFootprint(List.of(f), new Admission.Footprint(1, 60, 300)));     // heap 100 of 100
        assertFalse(a.admitsFootprint(List.of(f), new Admission.Footprint(1, 61, 300)));    // heap 101
        assertTrue(a.admitsFootprint(List.of(f, f), new Admission.Footprint(1, 20, 400)));  // memory 1,000 of 1,000
        assertFalse(a.admitsFootprint(List.of(f, f), new Admission.Footprint(1, 20, 401))); // memory 1,001
        assertFalse(a.admitsFootprint(List.of(f), new Admission.Footprint(1, Long.MAX_VALUE, 1)), "no overflow past the bound");
        assertTrue(new Admission(4, 0).admitsFootprint(List.of(f), new Admission.Footprint(1, Long.MAX_VALUE, Long.MAX_VALUE)),
                "bounds of 0 leave memory unbounded");
        // the cache rule still applies within the memory bounds
        Admission cached = new Admission(4, 100, java.util.Map.of(), 1_000, 10_000);
        assertFalse(cached.admitsFootprint(List.of(new Admission.Footprint(60, 1, 1)), new Admission.Footprint(60, 1, 1)));
        // the footprint of a spec is preflight's estimate
        var spec = TestSpecs.parse("network: {widths: [100, 50]}");
        Preflight.Estimate e = Preflight.estimate(spec, new org.manifoldlab.core.data.DataSources.Shape(784, 10, 0, 0));
        assertEquals(new Admission.Footprint(Admission.workingSetBytes(spec), e.heapBytes(), e.bytes()), new Admission(1, 0).footprintOf(spec));
    }

    @Test
    void theLastLevelCacheIsTheLargestUnifiedOneInSysfs() throws Exception {
        write("index0", "Data", "32K");
        write("index1", "Instruction", "32K");
        write("index2", "Unified", "512K");
        write("index3", "Unified", "32768K");
        assertEquals(32L << 20, Admission.lastLevelCacheBytes(dir));
        assertEquals(0, Admission.lastLevelCacheBytes(dir.resolve("absent")));
        assertEquals(2L << 20, Admission.parseSize("2M"));
        assertEquals(4096, Admission.parseSize("4096"));
    }

    private void write(String index, String type, String size) throws Exception {
        Files.createDirectories(dir.resolve(index));
        Files.writeString(dir.resolve(index).resolve("type"), type + "\n");
        Files.writeString(dir.resolve(index).resolve("size"), size + "\n");
    }
}
