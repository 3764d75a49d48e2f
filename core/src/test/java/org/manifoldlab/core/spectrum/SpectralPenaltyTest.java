package org.manifoldlab.core.spectrum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.manifoldlab.core.seed.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The spectral penalty: worked by hand on 2 x 2 and 3 x 3 covariances, and against finite differences in H. */
class SpectralPenaltyTest {

    /**
     * C = [[2, 1], [1, 2]]: lambda = 3, 1 with vectors (1, 1)/sqrt2, (1, -1)/sqrt2. Window 1..2,
     * alpha 1, width 2: gamma_2 = 3 / 2, r = 2/3, P = (1/3)^2 / 2 = 1/18, g_2 = 2 (-1/3) / 1.5 / 2
     * = -2/9 (the anchor has none), dP/dC = g_2 w w^T = [[-1/9, 1/9], [1/9, -1/9]].
     */
    @Test
    void twoByTwoWorkedByHand() {
        Eigenvalues.Decomposition d = Eigenvalues.withVectors(new double[] {2, 1, 1, 2}, 2);
        assertArrayEquals(new double[] {3, 1}, d.values(), 1e-12);
        SpectralPenalty.Value v = SpectralPenalty.ofEigenvalues(d.values(), 1, 2, 1.0, 2, d.values()[0]);
        assertEquals(1.0 / 18, v.penalty(), 1e-12);
        assertArrayEquals(new double[] {0, -2.0 / 9}, v.dLambda(), 1e-12);
        assertArrayEquals(new double[] {-1.0 / 9, 1.0 / 9, 1.0 / 9, -1.0 / 9}, SpectralPenalty.covarianceGradient(d, v.dLambda()), 1e-12);
    }

    /**
     * C = [[2, 1, 0], [1, 2, 0], [0, 0, 5]]: lambda = 5 (e3), 3 ((1, 1, 0)/sqrt2), 1 ((1, -1, 0)/sqrt2).
     * Window 1..3, alpha 1, width 3, anchor 5: gamma_2 = 5/2, r_2 = 1.2, term 0.2^2 + 0.2 = 0.24,
     * g_2 = (0.4 + 1) / 2.5 / 3 = 14/75; gamma_3 = 5/3, r_3 = 0.6, term 0.16, g_3 = -0.8 / (5/3) / 3
     * = -4/25; P = 0.4 / 3 = 2/15. dP/dC = g_2 u u^T + g_3 w w^T: diagonal (g_2 + g_3)/2 = 1/75,
     * off-diagonal (g_2 - g_3)/2 = 13/75, nothing on e3.
     */
    @Test
    void threeByThreeWorkedByHand() {
        Eigenvalues.Decomposition d = Eigenvalues.withVectors(new double[] {2, 1, 0, 1, 2, 0, 0, 0, 5}, 3);
        assertArrayEquals(new double[] {5, 3, 1}, d.values(), 1e-12);
        SpectralPenalty.Value v = SpectralPenalty.ofEigenvalues(d.values(), 1, 3, 1.0, 3, d.values()[0]);
        assertEquals(2.0 / 15, v.penalty(), 1e-12);
        assertArrayEquals(new double[] {0, 14.0 / 75, -4.0 / 25}, v.dLambda(), 1e-12);
        assertArrayEquals(new double[] {1.0 / 75, 13.0 / 75, 0, 13.0 / 75, 1.0 / 75, 0, 0, 0, 0},
                SpectralPenalty.covarianceGradient(d, v.dLambda()), 1e-12);
    }

    /**
     * C = 5 I - 4 w w^T, w = (1, 1, 1)/sqrt3: lambda = 5, 5, 1, the first two coincide (LAPACK may
     * return any basis of their plane). Window 2..3, alpha 1: both have g = 0 (one is the anchor),
     * gamma_3 = 5 (2/3) = 10/3, r = 0.3, g_3 = 2 (-0.7) / (10/3) / 3 = -0.14, so dP/dC = -0.14 w w^T
     * = -0.14/3 everywhere, whatever basis was chosen.
     */
    @Test
    void coincidingEigenvaluesGiveOneGradient() {
        double[] c = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                c[i * 3 + j] = (i == j ? 5 : 0) - 4.0 / 3;
            }
        }
        Eigenvalues.Decomposition d = Eigenvalues.withVectors(c, 3);
        assertArrayEquals(new double[] {5, 5, 1}, d.values(), 1e-12);
        SpectralPenalty.Value v = SpectralPenalty.ofEigenvalues(d.values(), 2, 3, 1.0, 3, d.values()[1]);
        assertArrayEquals(new double[] {0, 0, -0.14}, v.dLambda(), 1e-12);
        double[] expected = new double[9];
        java.util.Arrays.fill(expected, -0.14 / 3);
        assertArrayEquals(expected, SpectralPenalty.covarianceGradient(d, v.dLambda()), 1e-12);
    }

    /** weight dP/dH from the layer's buffers against central differences of P(H), the anchor held fixed. */
    @Test
    void gradientInHMatchesFiniteDifferences() {
        int n = 9;
        int width = 5;
        SpectralPenalty.Settings s = new SpectralPenalty.Settings(List.of(1), 1.3, 2.0, 1, n, 1, 4);
        SpectralPenalty penalty = new SpectralPenalty(s, width);
        SplittableRandom r = Seeds.stream(3, "test-h", 0);
        INDArray h = Nd4j.create(DataType.DOUBLE, new long[] {n, width}, 'f');
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < width; j++) {
                h.putScalar(i, j, r.nextDouble() * (j + 1));
            }
        }
        INDArray dh = Nd4j.create(DataType.DOUBLE, new long[] {n, width}, 'f');
        double p = penalty.gradient(h, dh);
        double anchor = Eigenvalues.descending(covariance(h))[0];
        assertEquals(p, penaltyOf(h, s, anchor), 1e-12);
        assertTrue(p > 0, "a random H is no power law: P " + p);
        double step = 1e-6;
        double worst = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < width; j++) {
                double v = h.getDouble(i, j);
                h.putScalar(i, j, v + step);
                double up = penaltyOf(h, s, anchor);
                h.putScalar(i, j, v - step);
                double down = penaltyOf(h, s, anchor);
                h.putScalar(i, j, v);
                double numeric = s.weight() * (up - down) / (2 * step);
                double analytic = dh.getDouble(i, j);
                worst = Math.max(worst, Math.abs(analytic - numeric) / Math.max(Math.abs(analytic) + Math.abs(numeric), 1e-8));
            }
        }
        assertTrue(worst < 1e-5, "worst relative error " + worst);
    }

    @Test
    void penaltyBatchesComeFromTheSeededStreamOfTheirStep() {
        assertArrayEquals(SpectralPenalty.batchRows(4, 20, 100, 30), SpectralPenalty.batchRows(4, 20, 100, 30));
        assertTrue(!java.util.Arrays.equals(SpectralPenalty.batchRows(4, 20, 100, 30), SpectralPenalty.batchRows(4, 30, 100, 30)));
        assertEquals(30, java.util.Arrays.stream(SpectralPenalty.batchRows(4, 20, 100, 30)).distinct().count());
        assertThrows(IllegalArgumentException.class, () -> SpectralPenalty.batchRows(4, 20, 10, 30));
        assertThrows(IllegalArgumentException.class,
                () -> new SpectralPenalty(new SpectralPenalty.Settings(List.of(1), 1, 1, 1, 10, 1, 0), 20));
    }

    private static double penaltyOf(INDArray h, SpectralPenalty.Settings s, double anchor) {
        int width = (int) h.columns();
        return SpectralPenalty.ofEigenvalues(Eigenvalues.descending(covariance(h)), s.fitLo(), s.hi(width), s.targetAlpha(), width,
                anchor).penalty();
    }

    private static INDArray covariance(INDArray h) {
        INDArray c = h.sub(h.mean(0));
        return c.transpose().mmul(c).divi(h.rows() - 1);
    }
}
