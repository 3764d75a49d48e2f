package org.manifoldlab.core.spectrum;

import org.manifoldlab.core.stats.StudentT;

/**
 * 95% intervals for alpha and the participation ratio by a delete-a-group jackknife over g
 * contiguous blocks of probe rows (about 20). Covariance sums add up, so each leave-one-block-out
 * accumulator is the total minus one block ({@link CovarianceAccumulator#setToDifference}):
 * one block's scatter and one eigendecomposition per replicate.
 * <pre>
 *   theta_(b) = estimate without block b,   theta_. = mean_b theta_(b)
 *   se^2      = (g - 1) / g sum_b (theta_(b) - theta_.)^2
 *   interval  = theta_hat -+ t_{0.975, g-1} se
 * </pre>
 * Every replicate fits the same window as the full sample, so the interval is that of the
 * estimator at that window. Allocates three width^2 accumulators' worth of buffers per call
 * (one given, two made here); cost about g eigendecompositions.
 */
public final class SpectrumJackknife {

    /** Blocks by default: enough replicates for a t interval with 19 degrees of freedom. */
    public static final int DEFAULT_BLOCKS = 20;

    private SpectrumJackknife() {
    }

    /**
     * @param alpha              alpha's estimate and interval
     * @param participationRatio the participation ratio's
     * @param blocks             g, the number of replicates
     */
    public record Result(Interval alpha, Interval participationRatio, int blocks) {
    }

    /**
     * @param rows   the probe rows [n, width] the total was accumulated from, in the same order
     * @param total  their covariance accumulator (not changed)
     * @param fit    the full-sample fit, whose used window and weighting every replicate repeats
     * @param blocks g >= 2
     */
    public static Result of(ProbeRows rows, CovarianceAccumulator total, PowerLawFit.Result fit, double participationRatio, int blocks) {
        if (blocks < 2 || blocks > rows.rows()) {
            throw new IllegalArgumentException("jackknife blocks must be in 2.." + rows.rows() + ", got " + blocks);
        }
        if (rows.rows() != total.count() || rows.width() != total.width()) {
            throw new IllegalArgumentException("the accumulator holds " + total.count() + " x " + total.width()
                    + " samples but the rows are " + rows.rows() + " x " + rows.width());
        }
        double[] alphas = new double[blocks];
        double[] prs = new double[blocks];
        try (CovarianceAccumulator block = new CovarianceAccumulator(rows.width());
             CovarianceAccumulator rest = new CovarianceAccumulator(rows.width())) {
            for (int b = 0; b < blocks; b++) {
                block.reset();
                block.accumulateRows(rows.data(), rows.blockStart(b, blocks), rows.blockStart(b + 1, blocks));
                Spectrum s = rest.setToDifference(total, block).spectrum();
                alphas[b] = PowerLawFit.fit(s, fit.used(), fit.weighted()).alpha();
                prs[b] = s.participationRatio();
            }
        }
        return new Result(interval(fit.alpha(), alphas), interval(participationRatio, prs), blocks);
    }

    /** theta_hat -+ t_{0.975, g-1} sqrt((g - 1)/g sum (theta_(b) - theta_.)^2). */
    public static Interval interval(double estimate, double[] replicates) {
        int g = replicates.length;
        double mean = 0;
        for (double v : replicates) {
            mean += v;
        }
        mean /= g;
        double ss = 0;
        for (double v : replicates) {
            ss += (v - mean) * (v - mean);
        }
        double se = Math.sqrt((g - 1.0) / g * ss);
        double t = StudentT.quantile(0.975, g - 1);
        return new Interval(estimate, estimate - t * se, estimate + t * se);
    }
}
