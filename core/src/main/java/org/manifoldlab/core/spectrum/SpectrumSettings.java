package org.manifoldlab.core.spectrum;

/**
 * How a layer's spectrum is summarised: the spec's {@code analysis.fitRanks},
 * {@code analysis.method} and {@code analysis.manifoldDim}.
 *
 * @param window      the rank window of the power-law fit; null for the automatic window
 *                    10 .. rank/2 ({@link PowerLawFit#autoWindow})
 * @param weighted    1/n weights as Stringer et al.'s code ({@code method: weighted}); off by default
 * @param manifoldDim d in the smoothness bound 1 + 2/d; {@code Double.POSITIVE_INFINITY} for
 *                    d -> infinity; NaN for "auto": d estimated from the input probes
 */
public record SpectrumSettings(PowerLawFit.Window window, boolean weighted, double manifoldDim) {

    /** Automatic window, least squares, d estimated from the input. */
    public static final SpectrumSettings DEFAULT = new SpectrumSettings(null, false, Double.NaN);

    public SpectrumSettings {
        if (!Double.isNaN(manifoldDim)) {
            Smoothness.threshold(manifoldDim);
        }
    }

    /** The window for this spectrum: the fixed one, or 10 .. rank/2. */
    public PowerLawFit.Window windowFor(Spectrum spectrum) {
        return window != null ? window : PowerLawFit.autoWindow(spectrum);
    }

    /** "auto" or "spec": where the window came from (a column of spectrum-summary.csv). */
    public String windowRule() {
        return window == null ? "auto" : "spec";
    }

    /** "ols" or "weighted" (a column of spectrum-summary.csv). */
    public String method() {
        return weighted ? "weighted" : "ols";
    }

    public boolean autoManifoldDim() {
        return Double.isNaN(manifoldDim);
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
