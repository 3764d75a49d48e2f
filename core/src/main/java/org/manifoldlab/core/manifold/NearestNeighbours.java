package org.manifoldlab.core.manifold;

import java.nio.DoubleBuffer;
import org.manifoldlab.core.Gemm;
import org.manifoldlab.core.spectrum.ProbeRows;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The k nearest other rows of every row, by Euclidean distance, from Gram blocks in double:
 * |x_i - x_j|^2 = |x_i|^2 + |x_j|^2 - 2 x_i . x_j, one BLAS gemm per block of rows
 * (O(n^2 width) flops, O(block n) memory). Squared distances below 1e-12 (|x_i|^2 + |x_j|^2)
 * count as 0: exact duplicates, which the estimators leave out.
 */
public final class NearestNeighbours {

    /** Rows per gemm block. */
    static final int BLOCK = 256;

    private NearestNeighbours() {
    }

    /**
     * @return distances [n, k] row-major: element i k + j is the distance from row i to its
     *         (j+1)-th nearest other row, ascending in j
     */
    public static double[] distances(ProbeRows rows, int k) {
        int n = rows.rows();
        int width = rows.width();
        if (k < 1 || k >= n) {
            throw new IllegalArgumentException("k must be in 1.." + (n - 1) + " for " + n + " points, got " + k);
        }
        // x: [n, width] double 'c'
        double[] values = new double[n * width];
        float[] data = rows.data();
        for (int i = 0; i < values.length; i++) {
            values[i] = data[i];
        }
        INDArray x = Nd4j.create(values, new long[] {n, width}, 'c');
        double[] norms = new double[n];  // |x_i|^2
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int c = 0; c < width; c++) {
                double v = values[i * width + c];
                s += v * v;
            }
            norms[i] = s;
        }
        double[] out = new double[n * k];
        double[] best = new double[k];
        INDArray gram = Nd4j.create(DataType.DOUBLE, new long[] {Math.min(BLOCK, n), n}, 'c');
        for (int from = 0; from < n; from += BLOCK) {
            int b = Math.min(BLOCK, n - from);
            INDArray g = b == gram.rows() ? gram : Nd4j.create(DataType.DOUBLE, new long[] {b, n}, 'c');
            // g = x[from:from+b] x^T  [b, n]
            Gemm.gemm(x.get(NDArrayIndex.interval(from, from + b), NDArrayIndex.all()), x, g, false, true, 1.0, 0.0);
            DoubleBuffer gv = g.data().asNioDouble();
            for (int r = 0; r < b; r++) {
                int i = from + r;
                java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
                for (int j = 0; j < n; j++) {
                    if (j == i) {
                        continue;
                    }
                    double d2 = norms[i] + norms[j] - 2 * gv.get(r * n + j);
                    if (d2 < best[k - 1]) {
                        insert(best, d2 <= 1e-12 * (norms[i] + norms[j]) ? 0.0 : d2);
                    }
                }
                for (int j = 0; j < k; j++) {
                    out[i * k + j] = Math.sqrt(best[j]);
                }
            }
        }
        return out;
    }

    /** Inserts v into the ascending array best, dropping its largest element. */
    private static void insert(double[] best, double v) {
        int p = best.length - 1;
        while (p > 0 && best[p - 1] > v) {
            best[p] = best[p - 1];
            p--;
        }
        best[p] = v;
    }
}
