package org.manifoldlab.core.spectrum;

import java.util.SplittableRandom;
import org.manifoldlab.core.seed.Seeds;

/** Seeded test matrices, row-major double[]. */
final class TestMatrices {

    private TestMatrices() {
    }

    /** rows x cols independent N(0, 1), from the stream (seed, purpose, 0). */
    static double[] gaussian(long seed, String purpose, int rows, int cols) {
        SplittableRandom random = Seeds.stream(seed, purpose, 0);
        double[] a = new double[rows * cols];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextGaussian();
        }
        return a;
    }

    /**
     * A random n x n orthogonal matrix: the columns of a Gaussian matrix orthonormalised by
     * modified Gram-Schmidt, run twice per column ("twice is enough", Giraud et al. 2005), in
     * plain Java. (LAPACKE dgeqrf + dorgqr, used before, returned a matrix with |U^T U - I| of
     * 20-30 at n = 500 on this machine's OpenBLAS, in row- and column-major alike.)
     */
    static double[] randomOrthogonal(int n, long seed) {
        double[] a = gaussian(seed, "test-orthogonal", n, n);   // column j: a[k n + j], k = 0..n-1
        for (int j = 0; j < n; j++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < j; i++) {
                    double r = 0;   // r = q_i . a_j
                    for (int k = 0; k < n; k++) {
                        r += a[k * n + i] * a[k * n + j];
                    }
                    for (int k = 0; k < n; k++) {
                        a[k * n + j] -= r * a[k * n + i];
                    }
                }
            }
            double norm = 0;
            for (int k = 0; k < n; k++) {
                norm += a[k * n + j] * a[k * n + j];
            }
            norm = Math.sqrt(norm);
            for (int k = 0; k < n; k++) {
                a[k * n + j] /= norm;
            }
        }
        return a;
    }

    /** max |A^T A - I| of the n x n row-major a. */
    static double orthogonalityError(double[] a, int n) {
        double worst = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int k = 0; k < n; k++) {
                    dot += a[k * n + i] * a[k * n + j];
                }
                worst = Math.max(worst, Math.abs(dot - (i == j ? 1 : 0)));
            }
        }
        return worst;
    }

    /** U diag(d) U^T, row-major. */
    static double[] rotatedDiagonal(double[] u, double[] d) {
        int n = d.length;
        double[] m = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += u[i * n + k] * d[k] * u[j * n + k];
                }
                m[i * n + j] = s;
            }
        }
        return m;
    }

    /** The sample covariance of the rows of x (rows x width, row-major), by the textbook two passes in double. */
    static double[] twoPassCovariance(float[] x, int rows, int width) {
        double[] mean = new double[width];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                mean[c] += x[r * width + c];
            }
        }
        for (int c = 0; c < width; c++) {
            mean[c] /= rows;
        }
        double[] cov = new double[width * width];
        double[] d = new double[width];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                d[c] = x[r * width + c] - mean[c];
            }
            for (int i = 0; i < width; i++) {
                for (int j = 0; j < width; j++) {
                    cov[i * width + j] += d[i] * d[j];
                }
            }
        }
        for (int i = 0; i < cov.length; i++) {
            cov[i] /= rows - 1;
        }
        return cov;
    }
}
