package org.manifoldlab.core.manifold;

import org.manifoldlab.core.spectrum.Interval;
import org.manifoldlab.core.spectrum.ProbeRows;
import org.manifoldlab.core.spectrum.SpectrumJackknife;

/**
 * The maximum-likelihood intrinsic dimension of Levina and Bickel (NIPS 2004), with the
 * averaging of MacKay and Ghahramani (2005): average the inverses of the per-point estimates,
 * then average over k = 10..20 neighbours. With T_j(x) the distance to x's j-th neighbour:
 * <pre>
 *   1 / m_k(x) = 1/(k-1) sum_{j=1}^{k-1} log(T_k(x) / T_j(x))
 *   m_k        = 1 / mean_x (1 / m_k(x)),      d = mean_{k=10..20} m_k
 * </pre>
 * Known to underestimate at small k on curved or high-dimensional manifolds. The interval is the
 * delete-a-group jackknife over contiguous blocks of points.
 */
public final class LevinaBickel {

    public static final int K_MIN = 10;
    public static final int K_MAX = 20;

    private LevinaBickel() {
    }

    /** The estimate of the rows, with a jackknife over blocks (about 20). */
    public static DimensionEstimate estimate(ProbeRows rows, int blocks) {
        return fromDistances(NearestNeighbours.distances(rows, K_MAX), rows.rows(), K_MAX, blocks);
    }

    /** @param distances [n, k] ascending neighbour distances, k >= 20 */
    public static DimensionEstimate fromDistances(double[] distances, int n, int k, int blocks) {
        if (k < K_MAX) {
            throw new IllegalArgumentException("Levina-Bickel needs " + K_MAX + " neighbours, got " + k);
        }
        int ks = K_MAX - K_MIN + 1;
        double[] inverse = new double[n * ks];   // [n, ks]: 1 / m_k(x_i), NaN for points with a duplicate
        int excluded = 0;
        for (int i = 0; i < n; i++) {
            boolean duplicate = distances[i * k] <= 0;
            excluded += duplicate ? 1 : 0;
            double logSum = 0;   // sum_{j<kk} log T_j
            for (int kk = 1; kk <= K_MAX; kk++) {
                double logT = duplicate ? 0 : Math.log(distances[i * k + kk - 1]);
                if (kk >= K_MIN) {
                    // 1/(k-1) sum_{j<k} (log T_k - log T_j)
                    inverse[i * ks + kk - K_MIN] = duplicate ? Double.NaN : ((kk - 1) * logT - logSum) / (kk - 1);
                }
                logSum += logT;
            }
        }
        double d = average(inverse, n, ks, 0, 0);
        double[] replicates = new double[blocks];
        for (int b = 0; b < blocks; b++) {
            replicates[b] = average(inverse, n, ks, (int) ((long) b * n / blocks), (int) ((long) (b + 1) * n / blocks));
        }
        Interval interval = SpectrumJackknife.interval(d, replicates);
        return new DimensionEstimate("levina-bickel", interval, n - excluded, excluded, blocks);
    }

    /** mean over k of 1 / mean_i inverse[i, k], over the points outside [skipFrom, skipTo). */
    private static double average(double[] inverse, int n, int ks, int skipFrom, int skipTo) {
        double total = 0;
        for (int c = 0; c < ks; c++) {
            double sum = 0;
            int m = 0;
            for (int i = 0; i < n; i++) {
                double v = inverse[i * ks + c];
                if ((i < skipFrom || i >= skipTo) && !Double.isNaN(v)) {
                    sum += v;
                    m++;
                }
            }
            if (m < 1 || !(sum > 0)) {
                throw new IllegalArgumentException("Levina-Bickel needs distinct neighbour distances, got " + m + " usable points");
            }
            total += m / sum;
        }
        return total / ks;
    }
}
