package org.manifoldlab.core.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpearmanTest {

    private static final double TOL = 1e-12;

    @Test
    void tiedValuesShareTheAverageOfTheirRanks() {
        assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, Ranks.average(new double[] {10, 20, 20, 30}), TOL);
        // sorted: 1 (rank 1), 2 (rank 2), 3 3 3 (ranks 3, 4, 5 -> 4 each)
        assertArrayEquals(new double[] {4, 1, 4, 4, 2}, Ranks.average(new double[] {3, 1, 3, 3, 2}), TOL);
        assertThrows(IllegalArgumentException.class, () -> Ranks.average(new double[] {1, Double.NaN}));
    }

    @Test
    void perfectOrderGivesPlusOrMinusOne() {
        double[] x = {0.3, 1.2, 1.5, 4.0};
        assertEquals(1.0, Spearman.rho(x, new double[] {0.1, 0.5, 0.6, 0.9}), TOL);
        assertEquals(-1.0, Spearman.rho(x, new double[] {9, 5, 2, -1}), TOL);
        // monotone but not linear: rank correlation is still exactly 1
        assertEquals(1.0, Spearman.rho(x, new double[] {1, 10, 1000, 1e9}), TOL);
    }

    @Test
    void withoutTiesMatchesTheSquaredRankDifferenceFormula() {
        // ranks of y: 1 3 2 4, d = 0 -1 1 0, sum d^2 = 2, rho = 1 - 6*2/(4*15) = 0.8
        assertEquals(0.8, Spearman.rho(new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 4}), TOL);
    }

    @Test
    void tiesUseAverageRanksAndPearsonOnThem() {
        // x ranks 1..5, y = 5 6 7 8 7 -> ranks 1 2 3.5 5 3.5; centred: dx = -2 -1 0 1 2, dy = -2 -1 .5 2 .5
        // sum dx dy = 4+1+0+2+1 = 8, sum dx^2 = 10, sum dy^2 = 9.5, rho = 8 / sqrt(95) = 0.82078268166812...
        // (also scipy.stats.spearmanr's documented example)
        assertEquals(8 / Math.sqrt(95), Spearman.rho(new double[] {1, 2, 3, 4, 5}, new double[] {5, 6, 7, 8, 7}), TOL);
        assertEquals(0.8207826816681233, Spearman.rho(new double[] {1, 2, 3, 4, 5}, new double[] {5, 6, 7, 8, 7}), 1e-12);
        // ties in both: ranks x 1.5 1.5 3.5 3.5, y 1.5 3.5 1.5 3.5 -> sum of products of deviations 1-1-1+1 = 0
        assertEquals(0.0, Spearman.rho(new double[] {1, 1, 2, 2}, new double[] {1, 2, 1, 2}), TOL);
    }

    @Test
    void undefinedWhenOneSideIsConstantOrTooShort() {
        assertTrue(Double.isNaN(Spearman.rho(new double[] {1, 2, 3}, new double[] {0.5, 0.5, 0.5})));
        assertTrue(Double.isNaN(Spearman.rho(new double[] {1}, new double[] {2})));
        assertTrue(Double.isNaN(Spearman.test(new double[] {1, 2}, new double[] {3, 3}, Spearman.Alternative.GREATER).pValue()));
        assertThrows(IllegalArgumentException.class, () -> Spearman.rho(new double[] {1, 2}, new double[] {1}));
    }

    @Test
    void exactPermutationTestCountsOrdersAsExtremeAsTheObservedOne() {
        // y ranks 1 2 3 5 4: sum d^2 = 2, rho = 0.9. Of the 120 orders, sum d^2 <= 2 holds for the identity
        // and the 4 adjacent swaps: P(rho >= 0.9) = 5/120; two-sided doubles it by symmetry.
        double[] x = {1, 2, 3, 4, 5};
        double[] y = {1, 2, 3, 5, 4};
        Spearman.Test greater = Spearman.test(x, y, Spearman.Alternative.GREATER);
        assertEquals(0.9, greater.rho(), TOL);
        assertEquals(5.0 / 120, greater.pValue(), TOL);
        assertTrue(greater.exact());
        assertEquals(10.0 / 120, Spearman.test(x, y, Spearman.Alternative.TWO_SIDED).pValue(), TOL);
        // rho <= 0.9 for every order but the identity (rho = 1)
        assertEquals(119.0 / 120, Spearman.test(x, y, Spearman.Alternative.LESS).pValue(), TOL);
    }

    @Test
    void exactPermutationTestWithTies() {
        // y ranks 1.5 1.5 3: rho = 1.5 / sqrt(2 * 1.5) = 0.866. The 6 orders of the ranks give
        // sum of centred products 1.5 (twice), 0 (twice), -1.5 (twice): P(rho >= 0.866) = 2/6.
        Spearman.Test t = Spearman.test(new double[] {1, 2, 3}, new double[] {1, 1, 2}, Spearman.Alternative.GREATER);
        assertEquals(Math.sqrt(3) / 2, t.rho(), TOL);
        assertEquals(2.0 / 6, t.pValue(), TOL);
    }

    @Test
    void monteCarloTestAboveTheExactLimitIsSeededAndSmallForAPerfectOrder() {
        double[] x = new double[12];
        double[] y = new double[12];
        for (int i = 0; i < 12; i++) {
            x[i] = i;
            y[i] = i * i;
        }
        Spearman.Test t = Spearman.test(x, y, Spearman.Alternative.GREATER);
        assertFalse(t.exact());
        assertEquals(1.0, t.rho(), TOL);
        // 12! orders, one of them as extreme: the estimate is 1/(1+draws) unless a draw hits the identity
        assertTrue(t.pValue() < 1e-3, "p = " + t.pValue());
        assertEquals(t.pValue(), Spearman.test(x, y, Spearman.Alternative.GREATER).pValue());
    }
}
