package org.manifoldlab.core.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Holm's step-down correction (Holm 1979) of m p-values: sorted ascending, p_(k) is rejected
 * while p_(k) <= alpha / (m - k + 1) for it and every smaller one. Controls the family-wise
 * error at alpha under any dependence between the tests.
 */
public final class Holm {

    private Holm() {
    }

    /** Which hypotheses are rejected at family-wise level alpha. NaN p-values are never rejected. */
    public static boolean[] reject(double[] p, double alpha) {
        double[] adjusted = adjusted(p);
        boolean[] out = new boolean[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = adjusted[i] <= alpha;
        }
        return out;
    }

    /** Holm-adjusted p-values: max over k' <= k of min(1, (m - k' + 1) p_(k')). NaN stays NaN (and counts in m). */
    public static double[] adjusted(double[] p) {
        int m = p.length;
        Integer[] order = IntStream.range(0, m).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> Double.isNaN(p[i]) ? Double.POSITIVE_INFINITY : p[i]));
        double[] out = new double[m];
        double running = 0;
        for (int k = 0; k < m; k++) {
            int i = order[k];
            if (Double.isNaN(p[i])) {
                out[i] = Double.NaN;
                continue;
            }
            running = Math.max(running, Math.min(1, (m - k) * p[i]));
            out[i] = running;
        }
        return out;
    }
}
