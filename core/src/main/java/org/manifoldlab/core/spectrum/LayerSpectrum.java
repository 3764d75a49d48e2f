package org.manifoldlab.core.spectrum;

/**
 * The spectrum of one hidden layer at one analysis point, summarised, with what produced it:
 * one row of metrics/spectrum-summary.csv (and, through {@link #spectrum()}, the rows of
 * metrics/spectrum.csv).
 *
 * @param layer              the hidden layer, numbered from 1
 * @param epoch              the analysis point (epochs completed; 0 before training)
 * @param seed               the experiment's seed
 * @param samples            probe samples the covariance was estimated from
 * @param width              the layer's width (number of eigenvalues)
 * @param fit                alpha, intercept and R^2, with the window requested and the window used
 * @param participationRatio (sum lambda)^2 / sum lambda^2
 * @param n90                the fewest components that explain 90% of the variance
 * @param n95                the same for 95%
 * @param manifoldDim        d of the smoothness bound
 * @param smoothnessMargin   alpha - (1 + 2/d)
 * @param spectrum           all eigenvalues, descending
 */
public record LayerSpectrum(int layer, int epoch, long seed, long samples, int width, PowerLawFit.Result fit,
                            double participationRatio, int n90, int n95, double manifoldDim, double smoothnessMargin,
                            Spectrum spectrum) {

    public LayerSpectrum {
        if (layer < 1) {
            throw new IllegalArgumentException("layers are numbered from 1, got " + layer);
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
    }

    /**
     * Summarises the spectrum of layer at epoch.
     *
     * @throws IllegalArgumentException when the fit window holds too few positive eigenvalues
     */
    public static LayerSpectrum analyze(int layer, int epoch, long seed, Spectrum spectrum, SpectrumSettings settings) {
        PowerLawFit.Result fit = PowerLawFit.fit(spectrum, settings.window(), settings.weighted());
        return new LayerSpectrum(layer, epoch, seed, spectrum.samples(), spectrum.width(), fit,
                spectrum.participationRatio(), spectrum.componentsToExplain(0.90), spectrum.componentsToExplain(0.95),
                settings.manifoldDim(), Smoothness.margin(fit.alpha(), settings.manifoldDim()), spectrum);
    }

    public double alpha() {
        return fit.alpha();
    }

    public double r2() {
        return fit.r2();
    }
}
