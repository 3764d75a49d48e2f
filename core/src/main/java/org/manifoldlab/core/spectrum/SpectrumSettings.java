package org.manifoldlab.core.spectrum;

/**
 * How a layer's spectrum is summarised: the spec's {@code analysis.fitRanks} and
 * {@code analysis.manifoldDim}, and whether the fit weights rank n by 1/n.
 *
 * @param window      the rank window of the power-law fit
 * @param weighted    1/n weights as Stringer et al.'s code; off by default
 * @param manifoldDim d in the smoothness bound 1 + 2/d; {@code Double.POSITIVE_INFINITY} for d -> infinity
 */
public record SpectrumSettings(PowerLawFit.Window window, boolean weighted, double manifoldDim) {

    /** Window 10..500, unweighted, d = infinity. */
    public static final SpectrumSettings DEFAULT = new SpectrumSettings(PowerLawFit.Window.DEFAULT, false, Double.POSITIVE_INFINITY);

    public SpectrumSettings {
        if (window == null) {
            throw new IllegalArgumentException("a fit window is required");
        }
        Smoothness.threshold(manifoldDim);
    }

    public SpectrumSettings withWindow(int lo, int hi) {
        return new SpectrumSettings(new PowerLawFit.Window(lo, hi), weighted, manifoldDim);
    }

    public SpectrumSettings withManifoldDim(double d) {
        return new SpectrumSettings(window, weighted, d);
    }

    public SpectrumSettings withWeighted(boolean w) {
        return new SpectrumSettings(window, w, manifoldDim);
    }
}
