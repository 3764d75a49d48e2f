package org.manifoldlab.core.spectrum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.manifoldlab.core.seed.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/** Eigenvalues, participation ratio, explained variance, smoothness and the per-layer summary against known answers. */
class SpectrumTest {

    @Test
    void eigenvaluesOfTheTwoByTwoHandCase() {
        assertArrayEquals(new double[] {3, 1}, Eigenvalues.descending(new double[] {2, 1, 1, 2}, 2), 1e-15);
        assertArrayEquals(new double[] {3, 1}, Eigenvalues.descending(Nd4j.create(new double[][] {{2, 1}, {1, 2}})), 1e-15);
    }

    @Test
    void eigenvaluesOfARotatedDiagonalAreTheDiagonalSortedDescending() {
        int n = 60;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = (i * 37 % n) - 12.5;  // distinct, a permutation, some negative
        }
        double[] expected = d.clone();
        Arrays.sort(expected);
        for (int i = 0; i < n / 2; i++) {
            double t = expected[i];
            expected[i] = expected[n - 1 - i];
            expected[n - 1 - i] = t;
        }
        double[] u = TestMatrices.randomOrthogonal(n, 3);
        assertArrayEquals(expected, Eigenvalues.descending(TestMatrices.rotatedDiagonal(u, d), n), 1e-12);
    }

    @Test
    void eigenvaluesAgreeWithNd4jsEigenOnARandomSymmetricMatrix() {
        int n = 50;
        double[] g = TestMatrices.gaussian(5, "test-symmetric", n, n);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i * n + j] = g[i * n + j] + g[j * n + i];
            }
        }
        INDArray copy = Nd4j.create(a, new long[] {n, n}, 'c');
        double[] ascending = Eigen.symmetricGeneralizedEigenvalues(copy).toDoubleVector();  // overwrites copy
        double[] ours = Eigenvalues.descending(Nd4j.create(a, new long[] {n, n}, 'c').castTo(DataType.FLOAT).castTo(DataType.DOUBLE));
        double[] fromArray = Eigenvalues.descending(a, n);
        for (int i = 0; i < n; i++) {
            assertEquals(ascending[n - 1 - i], fromArray[i], 1e-10, "lambda_" + (i + 1));
            assertEquals(ascending[n - 1 - i], ours[i], 1e-5, "lambda_" + (i + 1) + " via a float round trip");
        }
    }

    @Test
    void onlyTheUpperTriangleIsRead() {
        double[] upperOnly = {2, 1, 0.5, 0, 3, -1, 0, 0, 4};
        double[] full = {2, 1, 0.5, 1, 3, -1, 0.5, -1, 4};
        assertArrayEquals(Eigenvalues.descending(full, 3), Eigenvalues.descending(upperOnly, 3), 1e-14);
    }

    @Test
    void nonFiniteMatricesAndNonSquareShapesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Eigenvalues.descending(new double[] {1, Double.NaN, Double.NaN, 1}, 2));
        assertTrue(e.getMessage().contains("(0, 1) is NaN"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Eigenvalues.descending(Nd4j.create(DataType.DOUBLE, 2, 3)));
        assertThrows(IllegalArgumentException.class, () -> Eigenvalues.descending(new double[5], 2));
    }

    @Test
    void participationRatioByHand() {
        assertEquals(100.0 / 30.0, Spectrum.of(4, 3, 2, 1).participationRatio(), 1e-15);  // (4+3+2+1)^2 / (16+9+4+1)
        assertEquals(5.0, Spectrum.of(2, 2, 2, 2, 2).participationRatio(), 1e-15);       // isotropic: the width
        assertEquals(1.0, Spectrum.of(7, 0, 0, 0).participationRatio(), 0.0);           // rank one
    }

    /**
     * x_i = c_i v: a rank-one covariance. Values are multiples of 1/8 times small integers, exact
     * in float, so every eigenvalue but the first is rounding, and lambda_1 = var(c) |v|^2.
     */
    @Test
    void participationRatioOfRankOneDataIsOne() {
        int width = 20;
        int rows = 500;
        SplittableRandom random = Seeds.stream(9, "test-rank-one", 0);
        float[] v = new float[width];
        for (int j = 0; j < width; j++) {
            v[j] = random.nextInt(7) - 3;
        }
        v[0] = 2;
        double[] c = new double[rows];
        float[] x = new float[rows * width];
        for (int i = 0; i < rows; i++) {
            c[i] = (random.nextInt(161) - 80) / 8.0;
            for (int j = 0; j < width; j++) {
                x[i * width + j] = (float) (c[i] * v[j]);
            }
        }
        Spectrum spectrum = new CovarianceAccumulator(width, 64).accumulate(x, rows, width).spectrum();
        double cMean = Arrays.stream(c).sum() / rows;
        double cVariance = Arrays.stream(c).map(ci -> (ci - cMean) * (ci - cMean)).sum() / (rows - 1);
        double vNorm2 = 0;
        for (float vj : v) {
            vNorm2 += vj * vj;
        }
        assertEquals(cVariance * vNorm2, spectrum.eigenvalue(1), 1e-12 * cVariance * vNorm2);
        assertEquals(1, spectrum.rank());
        for (int n = 2; n <= width; n++) {
            assertTrue(Math.abs(spectrum.eigenvalue(n)) <= spectrum.tolerance(), "lambda_" + n + " = " + spectrum.eigenvalue(n));
        }
        assertEquals(1.0, spectrum.participationRatio(), 1e-15);
    }

    @Test
    void explainedVarianceAndComponentsFor90And95PercentByHand() {
        Spectrum spectrum = Spectrum.of(1, 3, 2, 4, 0);  // any order: sorted to 4, 3, 2, 1, 0
        assertArrayEquals(new double[] {0.4, 0.7, 0.9, 1.0, 1.0}, spectrum.cumulativeExplainedVariance(), 1e-15);
        assertEquals(1, spectrum.componentsToExplain(0.3));
        assertEquals(2, spectrum.componentsToExplain(0.5));
        assertEquals(3, spectrum.componentsToExplain(0.9));
        assertEquals(4, spectrum.componentsToExplain(0.95));
        assertEquals(4, spectrum.componentsToExplain(1.0));
        assertEquals(4, spectrum.rank());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Spectrum.of(0, 0, 0).participationRatio());
        assertTrue(e.getMessage().contains("no positive eigenvalues"), e.getMessage());
    }

    @Test
    void smoothnessMarginIsAlphaMinusOnePlusTwoOverD() {
        assertEquals(1.0, Smoothness.threshold(Double.POSITIVE_INFINITY), 0.0);
        assertEquals(1.5, Smoothness.threshold(4), 0.0);
        assertEquals(-1.5, Smoothness.margin(1.5, 1), 0.0);  // 1.5 - (1 + 2/1)
        assertEquals(0.25, Smoothness.margin(1.25, Double.POSITIVE_INFINITY), 0.0);
        for (double bad : new double[] {0, -2, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> Smoothness.threshold(bad), "d = " + bad);
        }
    }

    @Test
    void aLayerSpectrumCarriesItsProvenanceAndSummary() {
        double[] lambda = new double[1000];
        for (int n = 1; n <= lambda.length; n++) {
            lambda[n - 1] = 2 * Math.pow(n, -1.5);
        }
        Spectrum spectrum = new Spectrum(lambda, 2000);
        SpectrumSettings settings = SpectrumSettings.DEFAULT.withWindow(10, 300).withManifoldDim(4);
        LayerSpectrum s = LayerSpectrum.analyze(3, 7, 42L, spectrum, 0, settings);
        assertEquals(3, s.layer());
        assertEquals(7, s.epoch());
        assertEquals(42L, s.seed());
        assertEquals(2000, s.samples());
        assertEquals(1000, s.width());
        assertEquals(new PowerLawFit.Window(10, 300), s.fit().requested());
        assertEquals(new PowerLawFit.Window(10, 300), s.fit().used());
        assertEquals(291, s.fit().points());
        assertEquals(1.5, s.alphaValue(), 1e-12);
        assertEquals("spec", s.windowRule());
        assertEquals(1000, s.rank());
        assertFalse(s.alpha().hasInterval(), "intervals come from the jackknife only");
        assertEquals(1.0, s.r2(), 1e-12);
        assertEquals(4.0, s.manifoldDim().estimate(), 0.0);
        assertEquals("spec", s.dimSource());
        assertEquals(0.0, s.smoothnessMargin().estimate(), 1e-12, "alpha 1.5 sits exactly on 1 + 2/4");
        assertEquals(spectrum.participationRatio(), s.participationRatio().estimate(), 0.0);
        assertEquals(spectrum.componentsToExplain(0.9), s.n90());
        assertEquals(spectrum.componentsToExplain(0.95), s.n95());
        assertTrue(s.n90() < s.n95());

        LayerSpectrum byDefault = LayerSpectrum.analyze(1, 0, 42L, spectrum, 0, SpectrumSettings.DEFAULT);
        assertEquals(new PowerLawFit.Window(10, 500), byDefault.fit().used(), "auto: 10 .. rank/2");
        assertEquals("auto", byDefault.windowRule());
        assertTrue(Double.isNaN(byDefault.smoothnessMargin().estimate()), "d auto and not yet estimated: no margin");
        LayerSpectrum flat = LayerSpectrum.analyze(1, 0, 42L, spectrum, 0, SpectrumSettings.DEFAULT.withManifoldDim(Double.POSITIVE_INFINITY));
        assertEquals(0.5, flat.smoothnessMargin().estimate(), 1e-12, "d = infinity: alpha - 1");
        LayerSpectrum estimated = byDefault.withManifoldDim(new Interval(4.0, 3.0, 6.0), "twonn");
        assertEquals(0.0, estimated.smoothnessMargin().estimate(), 1e-12);
        assertFalse(estimated.smoothnessMargin().hasInterval(), "no interval while alpha has none");
        assertThrows(IllegalArgumentException.class, () -> LayerSpectrum.analyze(0, 0, 42L, spectrum, 0, SpectrumSettings.DEFAULT));
    }
}
