package org.manifoldlab.core.stats;

import java.util.SplittableRandom;

/**
 * Spearman's rank correlation: Pearson's correlation of the average ranks (so ties are
 * handled exactly, not by the 1 - 6 sum d^2 / (n(n^2-1)) shortcut, which holds only without
 * ties), and a permutation test of it.
 */
public final class Spearman {

    /** Up to this many points the permutation test enumerates all n! orders. */
    public static final int EXACT_UP_TO = 8;
    /** Random orders drawn above {@link #EXACT_UP_TO}. */
    public static final int MONTE_CARLO_DRAWS = 20_000;

    private static final double EPS = 1e-12;

    /** Which side the test counts as extreme. */
    public enum Alternative { GREATER, LESS, TWO_SIDED }

    /**
     * rho with its test.
     *
     * @param pValue  share of orderings of y at least as extreme as the observed one
     * @param exact   true when every ordering was enumerated, false for a Monte Carlo estimate
     */
    public record Test(double rho, int n, double pValue, Alternative alternative, boolean exact) {
    }

    private Spearman() {
    }

    /** rho in [-1, 1]; NaN when n &lt; 2 or when x or y is constant (no ordering to correlate). */
    public static double rho(double[] x, double[] y) {
        check(x, y);
        if (x.length < 2) {
            return Double.NaN;
        }
        return pearson(Ranks.average(x), Ranks.average(y));
    }

    /**
     * rho and its permutation p-value: the ranks of y are reordered against the ranks of x
     * (exactly, all n! orders, for n &lt;= {@link #EXACT_UP_TO}; else {@link #MONTE_CARLO_DRAWS}
     * draws from a fixed seed, p = (1 + hits) / (1 + draws)). Ties keep their average ranks in
     * every order. A NaN rho has p-value NaN.
     */
    public static Test test(double[] x, double[] y, Alternative alternative) {
        double rho = rho(x, y);
        int n = x.length;
        if (Double.isNaN(rho)) {
            return new Test(rho, n, Double.NaN, alternative, true);
        }
        double[] rx = Ranks.average(x);
        double[] ry = Ranks.average(y);
        // With the ranks' means and spreads fixed, rho is an increasing affine function of sum rx*ry.
        double mean = (n + 1) / 2.0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxx += (rx[i] - mean) * (rx[i] - mean);
            syy += (ry[i] - mean) * (ry[i] - mean);
        }
        double scale = Math.sqrt(sxx * syy);
        double observed = rho;
        if (n <= EXACT_UP_TO) {
            long[] hits = {0, 0};
            permute(ry.clone(), 0, rx, mean, scale, observed, alternative, hits);
            return new Test(rho, n, (double) hits[0] / hits[1], alternative, true);
        }
        SplittableRandom random = new SplittableRandom(0x5EA2_3A11L);
        double[] shuffled = ry.clone();
        long hits = 0;
        for (int d = 0; d < MONTE_CARLO_DRAWS; d++) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                double t = shuffled[i];
                shuffled[i] = shuffled[j];
                shuffled[j] = t;
            }
            if (extreme(rhoOfRanks(rx, shuffled, mean, scale), observed, alternative)) {
                hits++;
            }
        }
        return new Test(rho, n, (1.0 + hits) / (1.0 + MONTE_CARLO_DRAWS), alternative, false);
    }

    private static void permute(double[] ry, int k, double[] rx, double mean, double scale, double observed,
                                Alternative alternative, long[] hits) {
        if (k == ry.length) {
            hits[1]++;
            if (extreme(rhoOfRanks(rx, ry, mean, scale), observed, alternative)) {
                hits[0]++;
            }
            return;
        }
        for (int i = k; i < ry.length; i++) {
            swap(ry, k, i);
            permute(ry, k + 1, rx, mean, scale, observed, alternative, hits);
            swap(ry, k, i);
        }
    }

    private static boolean extreme(double rho, double observed, Alternative alternative) {
        return switch (alternative) {
            case GREATER -> rho >= observed - EPS;
            case LESS -> rho <= observed + EPS;
            case TWO_SIDED -> Math.abs(rho) >= Math.abs(observed) - EPS;
        };
    }

    private static double rhoOfRanks(double[] rx, double[] ry, double mean, double scale) {
        double sxy = 0;
        for (int i = 0; i < rx.length; i++) {
            sxy += (rx[i] - mean) * (ry[i] - mean);
        }
        return sxy / scale;
    }

    private static void swap(double[] a, int i, int j) {
        double t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    static double pearson(double[] a, double[] b) {
        int n = a.length;
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < n; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        if (saa == 0 || sbb == 0) {
            return Double.NaN;
        }
        return sab / Math.sqrt(saa * sbb);
    }

    private static void check(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " values, y has " + y.length);
        }
    }
}
