package org.manifoldlab.core.stats;

import java.util.Arrays;
import java.util.Comparator;

/** Ranks from 1 to n; tied values share the average of the ranks they span ("fractional ranking"). */
public final class Ranks {

    private Ranks() {
    }

    /** ranks[i] is the rank of values[i]: [10, 20, 20, 30] gives [1, 2.5, 2.5, 4]. NaN is refused. */
    public static double[] average(double[] values) {
        int n = values.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(values[i])) {
                throw new IllegalArgumentException("cannot rank NaN (index " + i + ")");
            }
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        double[] ranks = new double[n];
        int start = 0;
        while (start < n) {
            int end = start;  // [start, end] is one run of equal values
            while (end + 1 < n && values[order[end + 1]] == values[order[start]]) {
                end++;
            }
            double rank = (start + end) / 2.0 + 1;  // mean of the 1-based ranks start+1 .. end+1
            for (int k = start; k <= end; k++) {
                ranks[order[k]] = rank;
            }
            start = end + 1;
        }
        return ranks;
    }
}
