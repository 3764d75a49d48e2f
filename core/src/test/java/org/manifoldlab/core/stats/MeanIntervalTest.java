package org.manifoldlab.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MeanIntervalTest {

    @Test
    void threeSeedsGiveTheTIntervalWithTwoDegreesOfFreedom() {
        // mean 2, sd 1 (n-1 denominator), se 1/sqrt(3); t(0.975, 2) = 4.302652730 -> half width 2.484138...
        MeanInterval m = MeanInterval.of(new double[] {1, 2, 3});
        double half = 4.302652730 / Math.sqrt(3);
        assertEquals(3, m.n());
        assertEquals(2, m.mean(), 1e-12);
        assertEquals(1, m.sd(), 1e-12);
        assertEquals(2 - half, m.lo(), 1e-8);
        assertEquals(2 + half, m.hi(), 1e-8);
        assertFalse(m.above(0));
    }

    @Test
    void identicalSeedsGiveAPointIntervalAndOneSeedNone() {
        MeanInterval same = MeanInterval.of(new double[] {0.9, 0.9});
        assertEquals(0.9, same.lo(), 1e-12);
        assertEquals(0.9, same.hi(), 1e-12);
        assertTrue(same.above(0));
        MeanInterval one = MeanInterval.of(new double[] {0.4, Double.NaN});
        assertEquals(1, one.n());
        assertEquals(0.4, one.mean(), 0);
        assertTrue(Double.isNaN(one.lo()));
        assertFalse(one.above(0));
        assertFalse(one.below(1));
    }
}
