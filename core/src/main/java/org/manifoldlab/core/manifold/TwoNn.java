package org.manifoldlab.core.manifold;

import org.manifoldlab.core.spectrum.Interval;
import org.manifoldlab.core.spectrum.ProbeRows;
import org.manifoldlab.core.spectrum.SpectrumJackknife;

/**
 * TwoNN (Facco, d'Errico, Rodriguez, Laio, Sci. Rep. 2017): on a d-dimensional manifold sampled
 * with locally constant density, the ratio mu = r_2 / r_1 of a point's second to first
 * nearest-neighbour distance is Pareto distributed, P(mu > m) = m^-d. Its maximum-likelihood
 * estimate, made unbiased:
 * <pre>
 *   d = (M - 1) / sum_i log mu_i      over the M points whose r_1 > 0
 * </pre>
 * The interval is the delete-a-group jackknife over contiguous blocks of points (neighbours are
 * still searched among all points).
 */
public final class TwoNn {

    private TwoNn() {
    }

    /** TwoNN of the rows, with a jackknife over blocks (about 20). */
    public static DimensionEstimate estimate(ProbeRows rows, int blocks) {
        return fromDistances(NearestNeighbours.distances(rows, 2), rows.rows(), 2, blocks);
    }

    /** @param distances [n, k] ascending neighbour distances, k >= 2 ({@link NearestNeighbours#distances}) */
    public static DimensionEstimate fromDistances(double[] distances, int n, int k, int blocks) {
        double[] logMu = new double[n];      // log(r_2 / r_1); NaN for points with a duplicate
        int excluded = 0;
        for (int i = 0; i < n; i++) {
            double r1 = distances[i * k];
            double r2 = distances[i * k + 1];
            logMu[i] = r1 > 0 ? Math.log(r2 / r1) : Double.NaN;
            excluded += r1 > 0 ? 0 : 1;
        }
        double d = fromLogRatios(logMu, 0, 0);
        double[] replicates = new double[blocks];
        for (int b = 0; b < blocks; b++) {
            replicates[b] = fromLogRatios(logMu, (int) ((long) b * n / blocks), (int) ((long) (b + 1) * n / blocks));
        }
        Interval interval = SpectrumJackknife.interval(d, replicates);
        return new DimensionEstimate("twonn", interval, n - excluded, excluded, blocks);
    }

    /** (M - 1) / sum log mu over the points outside [skipFrom, skipTo). */
    private static double fromLogRatios(double[] logMu, int skipFrom, int skipTo) {
        double sum = 0;
        int m = 0;
        for (int i = 0; i < logMu.length; i++) {
            if ((i < skipFrom || i >= skipTo) && !Double.isNaN(logMu[i])) {
                sum += logMu[i];
                m++;
            }
        }
        if (m < 3 || !(sum > 0)) {
            throw new IllegalArgumentException("TwoNN needs at least 3 distinct points with distinct neighbour distances, got " + m);
        }
        return (m - 1) / sum;
    }
}
