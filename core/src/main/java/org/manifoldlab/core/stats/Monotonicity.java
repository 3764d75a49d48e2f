package org.manifoldlab.core.stats;

/**
 * Is y a monotonic function of x, up to a tolerance? The test counts order violations.
 *
 * <p>Definitions. A pair of points (i, j) is <em>comparable</em> when x_i &lt; x_j (pairs tied
 * in x say nothing about order and are skipped). It <em>violates</em> the increasing order when
 * y_i &gt; y_j + tolerance (y drops by more than the tolerance while x rises), and the decreasing
 * order when y_j &gt; y_i + tolerance. Differences within the tolerance are ties, never
 * violations. y is monotonic when one of the two orders has no violation, i.e. when
 * y_j &gt;= y_i - tolerance for every comparable pair (non-decreasing) or y_j &lt;= y_i + tolerance
 * for every comparable pair (non-increasing). Counting all pairs, not only neighbours, means
 * that small steps within the tolerance cannot add up to a large unnoticed reversal.
 */
public final class Monotonicity {

    /**
     * Added to the tolerance so that a step of exactly the tolerance, written in decimal, stays a
     * tie: 0.54 - 0.53 is 0.010000000000000009 in binary floating point.
     */
    static final double SLACK = 1e-9;

    /** Which order y follows as x rises. */
    public enum Direction {
        /** fewer violations of the increasing order than of the decreasing one */
        INCREASING,
        /** fewer violations of the decreasing order */
        DECREASING,
        /** no violation of either: every comparable pair is equal within the tolerance */
        FLAT,
        /** as many violations of each order (and at least one) */
        NONE
    }

    /**
     * @param pairs              comparable pairs (x strictly ordered)
     * @param increasingViolations pairs where y drops by more than the tolerance as x rises
     * @param decreasingViolations pairs where y rises by more than the tolerance as x rises
     * @param violations         the smaller of the two: violations of the order y follows best
     * @param direction          that order
     * @param tolerance          differences of y up to this count as ties
     */
    public record Result(int n, int pairs, int increasingViolations, int decreasingViolations, int violations,
                         Direction direction, double tolerance) {

        /** No violation of the order y follows best (a flat y is monotonic too). */
        public boolean monotonic() {
            return violations == 0;
        }

        /** Share of comparable pairs that violate the best order; 0 when there is no pair. */
        public double violationShare() {
            return pairs == 0 ? 0 : (double) violations / pairs;
        }
    }

    private Monotonicity() {
    }

    public static Result test(double[] x, double[] y, double tolerance) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " values, y has " + y.length);
        }
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("tolerance must be >= 0, got " + tolerance);
        }
        int n = x.length;
        int pairs = 0;
        int inc = 0;
        int dec = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (!(x[i] < x[j])) {
                    continue;  // also skips NaN
                }
                pairs++;
                if (y[i] - y[j] > tolerance + SLACK) {
                    inc++;
                } else if (y[j] - y[i] > tolerance + SLACK) {
                    dec++;
                }
            }
        }
        Direction direction;
        if (inc < dec) {
            direction = Direction.INCREASING;
        } else if (dec < inc) {
            direction = Direction.DECREASING;
        } else {
            direction = inc == 0 ? Direction.FLAT : Direction.NONE;
        }
        return new Result(n, pairs, inc, dec, Math.min(inc, dec), direction, tolerance);
    }
}
