package org.manifoldlab.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MonotonicityTest {

    private static final double[] X4 = {1, 2, 3, 4};

    @Test
    void strictlyIncreasingHasNoViolationAmongAllSixPairs() {
        Monotonicity.Result r = Monotonicity.test(X4, new double[] {0.1, 0.2, 0.3, 0.4}, 0);
        assertEquals(6, r.pairs());
        assertEquals(0, r.increasingViolations());
        assertEquals(6, r.decreasingViolations());
        assertEquals(Monotonicity.Direction.INCREASING, r.direction());
        assertTrue(r.monotonic());
    }

    @Test
    void oneSwapIsOneViolationOfTheIncreasingOrder() {
        // pairs (x<x'): (1,2) .1<.3 (1,3) .1<.2 (1,4) (2,3) .3>.2 <- the one drop, (2,4) (3,4): 1 drop, 5 rises
        Monotonicity.Result r = Monotonicity.test(X4, new double[] {0.1, 0.3, 0.2, 0.4}, 0);
        assertEquals(1, r.increasingViolations());
        assertEquals(5, r.decreasingViolations());
        assertEquals(1, r.violations());
        assertEquals(Monotonicity.Direction.INCREASING, r.direction());
        assertFalse(r.monotonic());
        assertEquals(1.0 / 6, r.violationShare(), 1e-12);
    }

    @Test
    void aDropWithinTheToleranceIsATieNotAViolation() {
        Monotonicity.Result r = Monotonicity.test(X4, new double[] {0.1, 0.3, 0.2, 0.4}, 0.15);
        assertTrue(r.monotonic());
        assertEquals(Monotonicity.Direction.INCREASING, r.direction());
        // .1 vs .2 is also within .15 now: rises beyond the tolerance are (1,2) .2, (1,4) .3, (2,4)... .1 no, (3,4) .2
        assertEquals(3, r.decreasingViolations());
    }

    @Test
    void aStepOfExactlyTheToleranceWrittenInDecimalIsATie() {
        // 0.54 - 0.53 = 0.010000000000000009 in doubles: still "within 0.01"
        Monotonicity.Result r = Monotonicity.test(new double[] {1, 2, 3}, new double[] {0.50, 0.54, 0.53}, 0.01);
        assertEquals(0, r.increasingViolations());
        assertTrue(r.monotonic());
        assertEquals(1, Monotonicity.test(new double[] {1, 2, 3}, new double[] {0.50, 0.54, 0.5299}, 0.01).increasingViolations());
    }

    @Test
    void smallStepsThatAddUpToALargeReversalAreCaught() {
        // each neighbour step drops by 0.04 (within 0.05), but the first and last differ by 0.12
        Monotonicity.Result r = Monotonicity.test(X4, new double[] {0.50, 0.54, 0.58, 0.62}, 0.05);
        assertTrue(r.monotonic());
        Monotonicity.Result down = Monotonicity.test(X4, new double[] {0.62, 0.58, 0.54, 0.50}, 0.05);
        assertEquals(Monotonicity.Direction.DECREASING, down.direction());
        assertEquals(0, down.violations());
        // up then down by more than the tolerance: violated either way
        Monotonicity.Result peak = Monotonicity.test(X4, new double[] {0.50, 0.60, 0.70, 0.40}, 0.05);
        // drops: (1,4) .5>.4, (2,4), (3,4) = 3; rises: (1,2), (1,3), (2,3) = 3
        assertEquals(3, peak.increasingViolations());
        assertEquals(3, peak.decreasingViolations());
        assertEquals(Monotonicity.Direction.NONE, peak.direction());
        assertEquals(3, peak.violations());
    }

    @Test
    void tiesInXAreNotComparableAndTiesInYAreNotViolations() {
        // x ties: only (1,3) and (2,3) are comparable; .5 -> .3 drops, .1 -> .3 rises
        Monotonicity.Result r = Monotonicity.test(new double[] {1, 1, 2}, new double[] {0.5, 0.1, 0.3}, 0);
        assertEquals(2, r.pairs());
        assertEquals(1, r.increasingViolations());
        assertEquals(1, r.decreasingViolations());
        assertEquals(Monotonicity.Direction.NONE, r.direction());
        // equal y with tolerance 0: neither a drop nor a rise
        Monotonicity.Result flat = Monotonicity.test(new double[] {3, 1, 2}, new double[] {0.7, 0.7, 0.7}, 0);
        assertEquals(3, flat.pairs());
        assertEquals(0, flat.increasingViolations() + flat.decreasingViolations());
        assertEquals(Monotonicity.Direction.FLAT, flat.direction());
        assertTrue(flat.monotonic());
    }

    @Test
    void inputOrderDoesNotMatter() {
        Monotonicity.Result sorted = Monotonicity.test(new double[] {1, 2, 3, 4, 5}, new double[] {0.2, 0.4, 0.3, 0.6, 0.9}, 0);
        Monotonicity.Result shuffled = Monotonicity.test(new double[] {4, 1, 5, 3, 2}, new double[] {0.6, 0.2, 0.9, 0.3, 0.4}, 0);
        assertEquals(sorted, shuffled);
        assertEquals(1, sorted.violations());
        assertEquals(10, sorted.pairs());
    }

    @Test
    void rejectsANegativeToleranceAndMismatchedLengths() {
        assertThrows(IllegalArgumentException.class, () -> Monotonicity.test(X4, X4, -0.1));
        assertThrows(IllegalArgumentException.class, () -> Monotonicity.test(X4, new double[] {1}, 0));
    }
}
