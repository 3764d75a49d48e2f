package org.manifoldlab.core.spectrum;

/**
 * The spectrum of one hidden layer at one analysis point, summarised, with what produced it:
 * one row of metrics/spectrum-summary.csv (and, through {@link #spectrum()}, the rows of
 * metrics/spectrum.csv). Intervals are NaN-ended ({@link Interval#of}) where not computed.
 *
 * @param layer              the hidden layer, numbered from 1
 * @param epoch              the analysis point (epochs completed; 0 before training)
 * @param seed               the experiment's seed
 * @param samples            probe samples the covariance was estimated from
 * @param width              the layer's width (number of eigenvalues)
 * @param fit                alpha, intercept and R^2, with the window requested and the window used
 * @param windowRule         "auto" (10 .. rank/2) or "spec" (analysis.fitRanks)
 * @param rank               numerical rank of the covariance
 * @param deadUnits          units silent (constant) on every probe
 * @param alpha              alpha with its jackknife interval
 * @param participationRatio (sum lambda)^2 / sum lambda^2, with its jackknife interval
 * @param blocks             jackknife blocks (0: no intervals)
 * @param n90                the fewest components that explain 90% of the variance
 * @param n95                the same for 95%
 * @param manifoldDim        d of the smoothness bound, with its interval when estimated
 * @param dimSource          where d came from: "spec", "twonn" (the input probes' TwoNN) or "none"
 * @param smoothnessMargin   alpha - (1 + 2/d), with its interval
 * @param layerTwoNn         the layer's own intrinsic dimension by TwoNN (NaN: not estimated)
 * @param layerLevinaBickel  the same by the Levina-Bickel MLE
 * @param spectrum           all eigenvalues, descending
 */
public record LayerSpectrum(int layer, int epoch, long seed, long samples, int width, PowerLawFit.Result fit, String windowRule,
                            int rank, int deadUnits, Interval alpha, Interval participationRatio, int blocks, int n90, int n95,
                            Interval manifoldDim, String dimSource, Interval smoothnessMargin, Interval layerTwoNn,
                            Interval layerLevinaBickel, Spectrum spectrum) {

    public LayerSpectrum {
        if (layer < 1) {
            throw new IllegalArgumentException("layers are numbered from 1, got " + layer);
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
    }

    /**
     * Summarises the spectrum of layer at epoch, without intervals; d from the settings (none
     * when they say auto: {@link #withManifoldDim} supplies it).
     *
     * @param deadUnits units constant on every probe (from the accumulator), or 0 when unknown
     * @throws IllegalArgumentException when the fit window holds too few positive eigenvalues
     */
    public static LayerSpectrum analyze(int layer, int epoch, long seed, Spectrum spectrum, int deadUnits, SpectrumSettings settings) {
        PowerLawFit.Result fit = PowerLawFit.fit(spectrum, settings.windowFor(spectrum), settings.weighted());
        Interval d = settings.autoManifoldDim() ? Interval.of(Double.NaN) : Interval.exact(settings.manifoldDim());
        Interval none = Interval.of(Double.NaN);
        return new LayerSpectrum(layer, epoch, seed, spectrum.samples(), spectrum.width(), fit, settings.windowRule(),
                spectrum.rank(), deadUnits, Interval.of(fit.alpha()), Interval.of(spectrum.participationRatio()), 0,
                spectrum.componentsToExplain(0.90), spectrum.componentsToExplain(0.95), d,
                settings.autoManifoldDim() ? "none" : "spec", margin(Interval.of(fit.alpha()), d), none, none, spectrum);
    }

    /** The same summary with the jackknife's intervals for alpha and the participation ratio. */
    public LayerSpectrum withJackknife(SpectrumJackknife.Result j) {
        return new LayerSpectrum(layer, epoch, seed, samples, width, fit, windowRule, rank, deadUnits, j.alpha(),
                j.participationRatio(), j.blocks(), n90, n95, manifoldDim, dimSource, margin(j.alpha(), manifoldDim),
                layerTwoNn, layerLevinaBickel, spectrum);
    }

    /** The same summary with d (and its interval) estimated by source, e.g. the input's TwoNN. */
    public LayerSpectrum withManifoldDim(Interval d, String source) {
        return new LayerSpectrum(layer, epoch, seed, samples, width, fit, windowRule, rank, deadUnits, alpha,
                participationRatio, blocks, n90, n95, d, source, margin(alpha, d), layerTwoNn, layerLevinaBickel, spectrum);
    }

    /** The same summary with the layer's own intrinsic dimension. */
    public LayerSpectrum withLayerDims(Interval twoNn, Interval levinaBickel) {
        return new LayerSpectrum(layer, epoch, seed, samples, width, fit, windowRule, rank, deadUnits, alpha,
                participationRatio, blocks, n90, n95, manifoldDim, dimSource, smoothnessMargin, twoNn, levinaBickel, spectrum);
    }

    /**
     * alpha - (1 + 2/d); its interval combines alpha's and the threshold's half-widths as
     * independent errors: h = sqrt(h_alpha^2 + h_t^2), with the threshold's ends 1 + 2/d_hi and
     * 1 + 2/d_lo. No interval unless alpha has one; NaN when d is unknown.
     */
    static Interval margin(Interval alpha, Interval d) {
        if (Double.isNaN(d.estimate())) {
            return Interval.of(Double.NaN);
        }
        double m = Smoothness.margin(alpha.estimate(), d.estimate());
        if (!alpha.hasInterval()) {
            return Interval.of(m);
        }
        double ht = d.hasInterval() && d.lo() > 0 ? (2.0 / d.lo() - 2.0 / d.hi()) / 2 : 0.0;
        double ha = alpha.halfWidth();
        double h = Math.sqrt(ha * ha + ht * ht);
        return new Interval(m, m - h, m + h);
    }

    /** The alpha of the fit. */
    public double alphaValue() {
        return fit.alpha();
    }

    public double r2() {
        return fit.r2();
    }
}
