package org.manifoldlab.core.spectrum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The automatic window 10 .. rank/2 on the fixtures: 5,000 Gaussian samples of 1,000
 * units with a known population spectrum.
 */
class DefaultWindowTest {

    private static final int WIDTH = 1000;
    private static final int SAMPLES = 5000;

    private final float[] rows = new float[SAMPLES * WIDTH];
    private final CovarianceAccumulator acc = new CovarianceAccumulator(WIDTH);

    private LayerSpectrum analyze(double[] lambda, int draw) {
        Populations.accumulate(Populations.draw(lambda, SAMPLES, 17, draw, rows), SAMPLES, WIDTH, acc);
        return LayerSpectrum.analyze(1, 0, 17, acc.spectrum(), acc.deadUnits(), SpectrumSettings.DEFAULT);
    }

    @Test
    void defaultFitRecoversPurePowerLawsWithin005() {
        StringBuilder fits = new StringBuilder();
        int draw = 0;
        for (double a : new double[] {0.8, 1.0, 1.5, 2.5}) {
            LayerSpectrum s = analyze(Populations.powerLaw(WIDTH, a), draw++);
            fits.append(String.format("a %.1f: alpha %.4f window %s R^2 %.4f; ", a, s.alphaValue(), s.fit().used(), s.r2()));
            assertEquals(a, s.alphaValue(), 0.05, fits.toString());
            assertEquals(1000, s.rank(), fits.toString());
            assertEquals(new PowerLawFit.Window(10, 500), s.fit().used(), fits.toString());
            assertEquals(0, s.deadUnits());
        }
        System.out.println(fits);
    }

    @Test
    void defaultFitStaysOffTheCliffOfALayerThatLostRank() {
        LayerSpectrum s = analyze(Populations.deadTail(WIDTH, 370), 9);
        Spectrum spectrum = s.spectrum();
        assertEquals(370, s.rank(), "the numerical rank is the live units");
        assertEquals(630, s.deadUnits(), "630 units are zero on every sample");
        assertEquals(new PowerLawFit.Window(10, 185), s.fit().used());
        assertEquals(2.0, s.alphaValue(), 0.05, "alpha " + s.alphaValue());
        double fixed = PowerLawFit.fit(spectrum, PowerLawFit.Window.DEFAULT, false).alpha();
        assertTrue(fixed > 2.5, "the old fixed window 10..500 measures the cliff: " + fixed);
        double weighted = LayerSpectrum.analyze(1, 0, 17, spectrum, 630, SpectrumSettings.DEFAULT.withWeighted(true)).alphaValue();
        assertEquals(2.0, weighted, 0.05, "the 1/n-weighted fit on the same window");
        System.out.printf("dead tail: auto %.4f (R^2 %.4f), weighted %.4f, fixed 10..500 %.4f%n", s.alphaValue(), s.r2(), weighted, fixed);
    }
}
