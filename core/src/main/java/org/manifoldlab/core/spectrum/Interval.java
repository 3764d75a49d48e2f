package org.manifoldlab.core.spectrum;

/**
 * An estimate with its 95% interval [lo, hi]; lo and hi are NaN when no interval was computed.
 *
 * @param estimate the full-sample estimate
 * @param lo       lower end of the 95% interval, or NaN
 * @param hi       upper end, or NaN
 */
public record Interval(double estimate, double lo, double hi) {

    /** An estimate without an interval. */
    public static Interval of(double estimate) {
        return new Interval(estimate, Double.NaN, Double.NaN);
    }

    /** A value known exactly (given in the spec): lo = hi = estimate. */
    public static Interval exact(double value) {
        return new Interval(value, value, value);
    }

    public boolean hasInterval() {
        return !Double.isNaN(lo) && !Double.isNaN(hi);
    }

    public boolean covers(double value) {
        return lo <= value && value <= hi;
    }

    /** (hi - lo) / 2, NaN without an interval. */
    public double halfWidth() {
        return (hi - lo) / 2;
    }

    @Override
    public String toString() {
        return hasInterval() ? String.format("%.4g [%.4g, %.4g]", estimate, lo, hi) : String.format("%.4g", estimate);
    }
}
