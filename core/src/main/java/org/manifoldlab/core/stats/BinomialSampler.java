package org.manifoldlab.core.stats;

import java.util.SplittableRandom;

/**
 * Draws from Binomial(n, p) by inverting its cumulative distribution, tabulated once: O(n) to
 * build, O(log n) a draw. The table is built outward from the mode with the ratio
 * P(k+1)/P(k) = (n-k)/(k+1) * p/(1-p) and normalised, so no factorial or power underflows.
 */
public final class BinomialSampler {

    private final double[] cdf;

    public BinomialSampler(long n, double p) {
        if (n < 0 || n > Integer.MAX_VALUE - 1 || !(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Binomial(" + n + ", " + p + ")");
        }
        int size = (int) n + 1;
        double[] pmf = new double[size];
        if (p == 0 || p == 1) {
            pmf[p == 0 ? 0 : size - 1] = 1;
        } else {
            int mode = (int) Math.min(n, Math.floor((n + 1) * p));
            double odds = p / (1 - p);
            pmf[mode] = 1;
            for (int k = mode; k < n; k++) {
                pmf[k + 1] = pmf[k] * (n - k) / (k + 1) * odds;
            }
            for (int k = mode; k > 0; k--) {
                pmf[k - 1] = pmf[k] * k / ((n - k + 1) * odds);
            }
        }
        cdf = new double[size];
        double sum = 0;
        for (int k = 0; k < size; k++) {
            sum += pmf[k];
            cdf[k] = sum;
        }
        for (int k = 0; k < size; k++) {
            cdf[k] /= sum;
        }
        cdf[size - 1] = 1;
    }

    /** One draw: the smallest k with CDF(k) > u, u ~ U[0, 1). */
    public int sample(SplittableRandom random) {
        double u = random.nextDouble();
        int lo = 0;
        int hi = cdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** P(X <= k). */
    public double cdf(int k) {
        return k < 0 ? 0 : cdf[Math.min(k, cdf.length - 1)];
    }
}
