package org.manifoldlab.core;

import static org.bytedeco.openblas.global.openblas.CblasColMajor;
import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;

import java.lang.ref.Reference;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * c = alpha op(a) op(b) + beta c as one OpenBLAS call on the arrays' own buffers, for the gemms
 * of every training step, analysis round and attack.
 *
 * <p>{@code Nd4j.gemm} runs libnd4j's matmul op, which wraps the same {@code sgemm} in an op's
 * setup and copies a 'c'-ordered result through an 'f'-ordered one. At a batch-64 step's sizes
 * (64 x 1000 x 1000) that was 0.14-0.19 ms a call on top of 1.6-1.7 ms of gemm with warm caches
 * (0.3-0.4 ms cold, and at 256 rows); here a call costs the gemm. Both reach the same OpenBLAS, which packs either layout into the same panels, so the
 * results are the same bits (GemmTest compares them over orders, transposes, views and types).
 *
 * <p>Each operand is read as a column-major matrix: an 'f' array as itself, a 'c' array as its
 * transpose, with the leading dimension from its strides, so views with a unit stride along one
 * dimension need no copy. Anything else (mixed types, other strides, a shape that does not
 * multiply) goes to {@code Nd4j.gemm}, which copies or reports it.
 */
public final class Gemm {

    private Gemm() {
    }

    /** As {@code Nd4j.gemm(a, b, c, transA, transB, alpha, beta)}; returns c. */
    public static INDArray gemm(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB,
                                double alpha, double beta) {
        Layout la = Layout.of(a);
        Layout lb = Layout.of(b);
        Layout lc = Layout.of(c);
        DataType type = c.dataType();
        boolean blasType = type == DataType.FLOAT || type == DataType.DOUBLE;
        if (la == null || lb == null || lc == null || !blasType || a.dataType() != type || b.dataType() != type) {
            return Nd4j.gemm(a, b, c, transA, transB, alpha, beta);
        }
        long m = transA ? a.columns() : a.rows();
        long k = transA ? a.rows() : a.columns();
        long kb = transB ? b.columns() : b.rows();
        long n = transB ? b.rows() : b.columns();
        if (k != kb || c.rows() != m || c.columns() != n || m == 0 || n == 0) {
            return Nd4j.gemm(a, b, c, transA, transB, alpha, beta);
        }
        // op(X) in terms of the stored column-major matrix S_X: transposed when exactly one of
        // "op transposes" and "stored as its transpose" holds.
        boolean ta = transA ^ la.transposed;
        boolean tb = transB ^ lb.transposed;
        if (!lc.transposed) {
            call(type, ta, tb, m, n, k, alpha, a, la.ld, b, lb.ld, beta, c, lc.ld);
        } else {
            // c is stored as c^T = op(b)^T op(a)^T.
            call(type, !tb, !ta, n, m, k, alpha, b, lb.ld, a, la.ld, beta, c, lc.ld);
        }
        return c;
    }

    private static void call(DataType type, boolean t1, boolean t2, long m, long n, long k, double alpha,
                             INDArray x, long ldx, INDArray y, long ldy, double beta, INDArray z, long ldz) {
        int op1 = t1 ? CblasTrans : CblasNoTrans;
        int op2 = t2 ? CblasTrans : CblasNoTrans;
        try {
            if (type == DataType.FLOAT) {
                cblas_sgemm(CblasColMajor, op1, op2, (int) m, (int) n, (int) k, (float) alpha,
                        new FloatPointer(x.data().addressPointer()), (int) ldx,
                        new FloatPointer(y.data().addressPointer()), (int) ldy, (float) beta,
                        new FloatPointer(z.data().addressPointer()), (int) ldz);
            } else {
                cblas_dgemm(CblasColMajor, op1, op2, (int) m, (int) n, (int) k, alpha,
                        new DoublePointer(x.data().addressPointer()), (int) ldx,
                        new DoublePointer(y.data().addressPointer()), (int) ldy, beta,
                        new DoublePointer(z.data().addressPointer()), (int) ldz);
            }
        } finally {
            // The buffers are freed when their arrays are collected: keep them until the call returns.
            Reference.reachabilityFence(x);
            Reference.reachabilityFence(y);
            Reference.reachabilityFence(z);
        }
    }

    /**
     * A rank-2 array as a column-major matrix S with leading dimension ld: S is the array itself
     * when its rows are the unit stride ('f'), its transpose when its columns are ('c'); null
     * when neither holds, and the gemm goes to {@code Nd4j.gemm}.
     */
    record Layout(boolean transposed, long ld) {

        static Layout of(INDArray x) {
            // A view's data().addressPointer() is its first element (ND4J makes views as native
            // views of the parent's buffer), so only the strides are read here.
            if (x.rank() != 2 || x.isEmpty() || x.length() > Integer.MAX_VALUE) {
                return null;
            }
            long rows = x.rows();
            long cols = x.columns();
            // A dimension of length 1 has no meaningful stride: either layout reads it.
            boolean columnsContiguous = x.stride(0) == 1 || rows == 1;
            boolean rowsContiguous = x.stride(1) == 1 || cols == 1;
            if (columnsContiguous && (x.ordering() == 'f' || !rowsContiguous)) {
                long ld = cols == 1 ? Math.max(1, rows) : x.stride(1);
                return ld >= Math.max(1, rows) && ld <= Integer.MAX_VALUE ? new Layout(false, ld) : null;
            }
            if (rowsContiguous) {
                long ld = rows == 1 ? Math.max(1, cols) : x.stride(0);
                return ld >= Math.max(1, cols) && ld <= Integer.MAX_VALUE ? new Layout(true, ld) : null;
            }
            return null;
        }
    }
}
