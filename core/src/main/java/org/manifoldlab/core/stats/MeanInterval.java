package org.manifoldlab.core.stats;

import java.util.Arrays;

/**
 * The mean of n independent values (one per seed) and its two-sided t-interval:
 * mean +- t_{(1+level)/2, n-1} * sd / sqrt(n), sd with the n-1 denominator. The interval is
 * NaN for n &lt; 2 (one seed says nothing about the spread). NaN values are dropped first.
 */
public record MeanInterval(int n, double mean, double sd, double lo, double hi, double level) {

    public static final double LEVEL_95 = 0.95;

    public static MeanInterval of(double[] values) {
        return of(values, LEVEL_95);
    }

    public static MeanInterval of(double[] values, double level) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1), got " + level);
        }
        double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).toArray();
        int n = v.length;
        if (n == 0) {
            return new MeanInterval(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, level);
        }
        double mean = Arrays.stream(v).sum() / n;
        if (n == 1) {
            return new MeanInterval(1, mean, Double.NaN, Double.NaN, Double.NaN, level);
        }
        double ss = 0;
        for (double d : v) {
            ss += (d - mean) * (d - mean);
        }
        double sd = Math.sqrt(ss / (n - 1));
        double half = StudentT.quantile((1 + level) / 2, n - 1) * sd / Math.sqrt(n);
        return new MeanInterval(n, mean, sd, mean - half, mean + half, level);
    }

    /** True when the whole interval lies above {@code bound} (false when it is undefined). */
    public boolean above(double bound) {
        return lo > bound;
    }

    /** True when the whole interval lies below {@code bound} (false when it is undefined). */
    public boolean below(double bound) {
        return hi < bound;
    }
}
