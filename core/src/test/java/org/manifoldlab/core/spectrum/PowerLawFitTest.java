package org.manifoldlab.core.spectrum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PowerLawFitTest {

    /** lambda_n = c n^-a for n = 1..width. */
    private static double[] powerLaw(double c, double a, int width) {
        double[] lambda = new double[width];
        for (int n = 1; n <= width; n++) {
            lambda[n - 1] = c * Math.pow(n, -a);
        }
        return lambda;
    }

    @Test
    void anExactPowerLawGivesItsExponentInterceptAndR2OfOne() {
        Spectrum spectrum = Spectrum.of(powerLaw(3.0, 1.3, 1000));
        for (boolean weighted : new boolean[] {false, true}) {
            PowerLawFit.Result fit = PowerLawFit.fit(spectrum, PowerLawFit.Window.DEFAULT, weighted);
            assertEquals(1.3, fit.alpha(), 1e-12);
            assertEquals(Math.log(3.0), fit.intercept(), 1e-12);
            assertEquals(1.0, fit.r2(), 1e-12);
            assertEquals(new PowerLawFit.Window(10, 500), fit.used());
            assertEquals(491, fit.points());
            assertEquals(weighted, fit.weighted());
            assertEquals(3.0 * Math.pow(77, -1.3), fit.predicted(77), 1e-12);
        }
    }

    /**
     * A spectrum off the line (sorted, as every spectrum is), against independent implementations: numpy 2.4 polyfit for the
     * plain fit, and Stringer et al.'s get_powerlaw (np.linalg.solve of the 1/n-weighted normal
     * equations) for the weighted one. Script:
     * <pre>
     * n = np.arange(1, 61); lam = np.sort(n**-1.2 * np.exp(0.1 * np.sin(n)))[::-1]; r = np.arange(5, 41)
     * x, y = np.log(r), np.log(lam[r - 1]); sl, ic = np.polyfit(x, y, 1)   # alpha = -sl
     * X = np.stack([-x, np.ones_like(x)], 1); w = (1.0 / r)[:, None]
     * b = np.linalg.solve(X.T @ (X * w), (w * X).T @ y[:, None])          # alpha = b[0]
     * R^2 = 1 - sum w (y - yhat)^2 / sum w (y - weighted mean of y)^2
     * </pre>
     */
    @Test
    void aNoisySpectrumMatchesNumpyAndStringersWeightedFit() {
        double[] lambda = new double[60];
        for (int n = 1; n <= 60; n++) {
            lambda[n - 1] = Math.pow(n, -1.2) * Math.exp(0.1 * Math.sin(n));
        }
        PowerLawFit.Window window = new PowerLawFit.Window(5, 40);
        PowerLawFit.Result plain = PowerLawFit.fit(Spectrum.of(lambda), window, false);
        assertEquals(1.1924219518824399, plain.alpha(), 1e-12);
        assertEquals(-0.020433864526414599, plain.intercept(), 1e-12);
        assertEquals(0.99410890503652394, plain.r2(), 1e-12);
        assertEquals(36, plain.points());
        PowerLawFit.Result weighted = PowerLawFit.fit(Spectrum.of(lambda), window, true);
        assertEquals(1.1837427289131499, weighted.alpha(), 1e-12);
        assertEquals(-0.044481481072955006, weighted.intercept(), 1e-12);
        assertEquals(0.9934012809477516, weighted.r2(), 1e-12);
    }

    @Test
    void theWindowIsClippedToThePositiveEigenvaluesAndRoundingNegativesAreLeftOut() {
        double[] lambda = new double[300];
        System.arraycopy(powerLaw(1.0, 1.0, 100), 0, lambda, 0, 100);
        for (int i = 100; i < 300; i++) {
            lambda[i] = (i % 2 == 0 ? -1 : 1) * 1e-18 * (i - 99);  // rounding noise of a rank-100 covariance
        }
        Spectrum spectrum = Spectrum.of(lambda);
        assertEquals(100, spectrum.rank());
        assertEquals(100, spectrum.negativeCount(), "negatives are reported as they are");
        assertEquals(-1.99e-16, spectrum.eigenvalue(300), 1e-30);
        PowerLawFit.Result fit = PowerLawFit.fit(spectrum);
        assertEquals(new PowerLawFit.Window(10, 500), fit.requested());
        assertEquals(new PowerLawFit.Window(10, 100), fit.used());
        assertEquals(91, fit.points());
        assertEquals(1.0, fit.alpha(), 1e-12, "the noise past rank 100 did not enter the fit");
    }

    @Test
    void anAllZeroSpectrumIsAnErrorNotANumber() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PowerLawFit.fit(Spectrum.of(new double[500])));
        assertEquals("fit window 10..500 has 0 positive eigenvalues (rank 0 of width 500: all eigenvalues zero up to"
                + " rounding or negative); need at least 3 points", e.getMessage());
    }

    @Test
    void aWindowBeyondTheRankIsAnError() {
        double[] lambda = new double[600];
        System.arraycopy(powerLaw(1.0, 1.0, 8), 0, lambda, 0, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PowerLawFit.fit(Spectrum.of(lambda)));
        assertEquals("fit window 10..500 starts beyond the rank: only 8 positive eigenvalues (width 600); need at least 3 points",
                e.getMessage());
        IllegalArgumentException past = assertThrows(IllegalArgumentException.class,
                () -> PowerLawFit.fit(Spectrum.of(powerLaw(1.0, 1.0, 50)), new PowerLawFit.Window(60, 80), false));
        assertTrue(past.getMessage().contains("only 50 positive eigenvalues (width 50)"), past.getMessage());
    }

    @Test
    void aWindowLeftWithTwoPointsIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PowerLawFit.fit(Spectrum.of(powerLaw(1.0, 1.0, 11))));
        assertEquals("fit window 10..500 clipped to the 11 positive eigenvalues (width 11) leaves 2 points; need at least 3 points",
                e.getMessage());
        assertEquals(3, PowerLawFit.fit(Spectrum.of(powerLaw(1.0, 2.0, 12))).points(), "three points do fit");
    }

    @Test
    void windowsMustStartAtRankOneOrLaterAndNotRunBackwards() {
        assertThrows(IllegalArgumentException.class, () -> new PowerLawFit.Window(0, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PowerLawFit.Window(10, 5));
        assertEquals("fit window 10..5 must have 1 <= lo <= hi", e.getMessage());
    }

    @Test
    void aFlatWindowHasSlopeZeroAndFitsPerfectly() {
        PowerLawFit.Result fit = PowerLawFit.fit(Spectrum.of(2, 2, 2, 2, 2), new PowerLawFit.Window(1, 5), false);
        assertEquals(0.0, fit.alpha(), 0.0);
        assertEquals(Math.log(2), fit.intercept(), 1e-15);
        assertEquals(1.0, fit.r2(), 0.0);
    }
}
