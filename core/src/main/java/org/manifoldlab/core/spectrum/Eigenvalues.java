package org.manifoldlab.core.spectrum;

import static org.bytedeco.openblas.global.openblas.LAPACKE_dsyevd;
import static org.bytedeco.openblas.global.openblas.LAPACK_COL_MAJOR;

import java.nio.DoubleBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Eigenvalues only (no eigenvectors) of a real symmetric matrix, by LAPACK's divide-and-conquer
 * {@code dsyevd} with jobz 'N', from the OpenBLAS that ND4J already loads. About 95 ms for
 * 1000 x 1000 on 2 cores, as fast as numpy's {@code eigvalsh}; ND4J's
 * {@code Eigen.symmetricGeneralizedEigenvalues} (dsyev, which also forms the eigenvectors) takes
 * 0.7 s. Only the upper triangle (row-major: j >= i) is read.
 *
 * <p>The bytedeco {@code openblas} calls bind to the same OpenBLAS instance as ND4J's own BLAS
 * (checked with LD_DEBUG=bindings), so ND4J's thread setting
 * ({@code Nd4j.factory().blas().setMaxThreads}) governs them too.
 */
public final class Eigenvalues {

    private Eigenvalues() {
    }

    /** Eigenvalues of the symmetric a [n, n] (any order, type or view), descending. a is not changed. */
    public static double[] descending(INDArray a) {
        if (a.rank() != 2 || a.rows() != a.columns()) {
            throw new IllegalArgumentException("eigenvalues need a square matrix, got shape " + java.util.Arrays.toString(a.shape()));
        }
        int n = a.rows();
        double[][] rows = a.toDoubleMatrix();
        double[] rowMajor = new double[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows[i], 0, rowMajor, i * n, n);
        }
        return descending(rowMajor, n);
    }

    /** Eigenvalues of the symmetric n x n matrix stored row-major in a, descending. a is not changed. */
    public static double[] descending(double[] a, int n) {
        if (a.length != (long) n * n) {
            throw new IllegalArgumentException("a holds " + a.length + " values, not " + n + " x " + n);
        }
        try (DoublePointer copy = new DoublePointer(a)) {
            return descendingInPlace(copy, n);
        }
    }

    /**
     * Eigenvalues of the symmetric n x n matrix in a (row-major, upper triangle read), descending.
     * DESTROYS a: LAPACK overwrites it with its tridiagonal reduction.
     */
    static double[] descendingInPlace(DoublePointer a, int n) {
        requireFiniteUpperTriangle(a, n);
        if (n == 0) {
            return new double[0];
        }
        try (DoublePointer w = new DoublePointer(n)) {
            // Row-major upper = column-major lower: telling LAPACK so saves LAPACKE's transposed copy.
            int info = LAPACKE_dsyevd(LAPACK_COL_MAJOR, (byte) 'N', (byte) 'L', n, a, n, w);
            if (info != 0) {
                throw new ArithmeticException("LAPACKE_dsyevd failed on a " + n + " x " + n + " matrix: info " + info
                        + (info < 0 ? " (argument " + -info + " invalid)" : " (the algorithm did not converge)"));
            }
            double[] ascending = new double[n];
            w.get(ascending);
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = ascending[n - 1 - i];
            }
            return out;
        }
    }

    /**
     * The eigendecomposition of a symmetric matrix: values descending, and vectors [n, n]
     * row-major whose column k is the unit eigenvector of values[k].
     */
    public record Decomposition(double[] values, double[] vectors) {
    }

    /**
     * Eigenvalues and eigenvectors of the symmetric n x n matrix stored row-major in a (upper
     * triangle read), by {@code dsyevd} with jobz 'V'. a is not changed.
     */
    public static Decomposition withVectors(double[] a, int n) {
        if (a.length != (long) n * n) {
            throw new IllegalArgumentException("a holds " + a.length + " values, not " + n + " x " + n);
        }
        try (DoublePointer m = new DoublePointer(a); DoublePointer w = new DoublePointer(Math.max(n, 1))) {
            requireFiniteUpperTriangle(m, n);
            if (n == 0) {
                return new Decomposition(new double[0], new double[0]);
            }
            // Row-major upper = column-major lower; on exit m holds the eigenvectors column-major,
            // vector k (ascending order) at m[k * n .. k * n + n).
            int info = LAPACKE_dsyevd(LAPACK_COL_MAJOR, (byte) 'V', (byte) 'L', n, m, n, w);
            if (info != 0) {
                throw new ArithmeticException("LAPACKE_dsyevd failed on a " + n + " x " + n + " matrix: info " + info);
            }
            double[] ascending = new double[n];
            w.get(ascending);
            double[] columns = new double[n * n];
            m.get(columns);
            double[] values = new double[n];
            double[] vectors = new double[n * n];
            for (int k = 0; k < n; k++) {
                int from = n - 1 - k;
                values[k] = ascending[from];
                for (int i = 0; i < n; i++) {
                    vectors[i * n + k] = columns[from * n + i];
                }
            }
            return new Decomposition(values, vectors);
        }
    }

    private static void requireFiniteUpperTriangle(DoublePointer a, int n) {
        DoubleBuffer b = a.asBuffer();
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double v = b.get(i * n + j);
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("matrix entry (" + i + ", " + j + ") is " + v
                            + ": eigenvalues need finite entries (NaN or infinity in the activations?)");
                }
            }
        }
    }
}
