package org.manifoldlab.core.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A two-level (hierarchical) bootstrap of paired layer differences with the seed as the unit:
 * each replicate draws S seeds with replacement, then, within each drawn seed, redraws its probe
 * set. The statistic of a pair of layer positions (i &lt; j) is the mean over seeds of
 * acc_j - acc_i, each seed's two accuracies measured on the same probes.
 *
 * <p>Probe level: the run directory records counts, not each probe's correctness, so a seed's
 * probe resample is approximated by drawing each layer's correct count from Binomial(n, k/n)
 * independently. The real counts of two layers on the same probes are positively correlated,
 * so independent draws overstate the spread of their difference: the intervals are
 * conservative (wider than a paired per-probe resample would give), never anti-conservative.
 *
 * <p>Intervals are percentile intervals; the two-sided p-value of "difference = 0" is
 * min(1, 2 min((1 + #{D* &lt;= 0}), (1 + #{D* &gt;= 0})) / (B + 1)), the smallest level at which the
 * percentile interval would still exclude 0.
 */
public final class SeedBootstrap {

    /** The fewest seeds an interval is drawn from: with 2 the resampled means take 3 values. */
    public static final int MIN_UNITS = 3;

    /** One seed: correct counts and probe counts per layer position (positions in the caller's order, e.g. by alpha). */
    public record Unit(String id, long[] correct, long[] samples) {
        public Unit {
            if (correct.length != samples.length) {
                throw new IllegalArgumentException(id + ": " + correct.length + " counts for " + samples.length + " layers");
            }
            for (int i = 0; i < correct.length; i++) {
                if (samples[i] < 1 || correct[i] < 0 || correct[i] > samples[i]) {
                    throw new IllegalArgumentException(id + ": " + correct[i] + " of " + samples[i] + " at position " + i);
                }
            }
        }

        double accuracy(int position) {
            return (double) correct[position] / samples[position];
        }
    }

    /** The paired difference of positions lower &lt; upper: acc_upper - acc_lower, mean over seeds. */
    public record Pair(int lower, int upper, double difference, double lo, double hi, double pValue) {
    }

    private SeedBootstrap() {
    }

    /**
     * Every pair of positions, with its 95% percentile interval and two-sided p-value.
     *
     * @param units      at least {@link #MIN_UNITS} seeds, all with the same number of positions
     * @param replicates bootstrap replicates (2,000 resolves p down to 1/2001)
     * @param random     a seeded stream: the same stream gives the same intervals
     */
    public static List<Pair> pairs(List<Unit> units, int replicates, SplittableRandom random) {
        int s = units.size();
        if (s < MIN_UNITS) {
            throw new IllegalArgumentException("an interval needs at least " + MIN_UNITS + " seeds, got " + s);
        }
        int positions = units.get(0).correct().length;
        if (units.stream().anyMatch(u -> u.correct().length != positions)) {
            throw new IllegalArgumentException("every seed needs the same layers");
        }
        BinomialSampler[][] samplers = new BinomialSampler[s][positions];
        for (int u = 0; u < s; u++) {
            for (int i = 0; i < positions; i++) {
                samplers[u][i] = new BinomialSampler(units.get(u).samples()[i], units.get(u).accuracy(i));
            }
        }
        int pairCount = positions * (positions - 1) / 2;
        double[][] draws = new double[pairCount][replicates];
        double[] acc = new double[positions];
        double[] sum = new double[pairCount];
        for (int b = 0; b < replicates; b++) {
            Arrays.fill(sum, 0);
            for (int draw = 0; draw < s; draw++) {
                int u = random.nextInt(s);
                for (int i = 0; i < positions; i++) {
                    acc[i] = (double) samplers[u][i].sample(random) / units.get(u).samples()[i];
                }
                for (int i = 0, k = 0; i < positions; i++) {
                    for (int j = i + 1; j < positions; j++, k++) {
                        sum[k] += acc[j] - acc[i];
                    }
                }
            }
            for (int k = 0; k < pairCount; k++) {
                draws[k][b] = sum[k] / s;
            }
        }
        List<Pair> out = new ArrayList<>();
        for (int i = 0, k = 0; i < positions; i++) {
            for (int j = i + 1; j < positions; j++, k++) {
                double estimate = 0;
                for (Unit unit : units) {
                    estimate += unit.accuracy(j) - unit.accuracy(i);
                }
                double[] d = draws[k];
                Arrays.sort(d);
                out.add(new Pair(i, j, estimate / s, quantile(d, 0.025), quantile(d, 0.975), pValue(d)));
            }
        }
        return out;
    }

    /** Two-sided bootstrap p-value of "no difference" from sorted replicates. */
    static double pValue(double[] sorted) {
        long atMost = 0;
        long atLeast = 0;
        for (double v : sorted) {
            atMost += v <= 0 ? 1 : 0;
            atLeast += v >= 0 ? 1 : 0;
        }
        return Math.min(1, 2.0 * (1 + Math.min(atMost, atLeast)) / (sorted.length + 1));
    }

    /** Linear interpolation between order statistics (type 7), q in [0, 1]. */
    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
