package org.manifoldlab.core.nn;

import java.util.HashMap;
import java.util.Map;
import org.manifoldlab.core.Gemm;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The similarity matching loss of Nokland and Eidnes 2019 ("sim"):
 * L = mean_ij (S(h)_ij - S(Y)_ij)^2 over a batch, where S(x) = xn xn^T and row i of xn is row i
 * of x centred on its own mean and divided by (1e-8 + its norm): a correlation between samples,
 * not a plain cosine. As the authors' {@code similarity_matrix} (anokland/local-loss, train.py,
 * commit 7b3b40b), applied to h itself, as their {@code --bio} variant does, without the extra
 * linear map their default puts before it, and without their clamp to [-1, 1] (which only cuts
 * rounding errors and would zero the gradient there). Y is the one-hot labels, so S(Y)_ij is 1
 * for samples of one class and -1/(C - 1) otherwise (up to the 1e-8).
 *
 * <p>Buffers are kept per batch size; a step allocates nothing.
 */
final class SimilarityMatching {

    private static final double EPS = 1e-8;

    private final int classes;
    private final Map<Integer, Buffers> buffersByRows = new HashMap<>();

    /** xn, dxn: [rows, width] 'f' like h; s: [rows, rows]; per-row norms. */
    private static final class Buffers {
        final INDArray xn;
        final INDArray dxn;
        final INDArray s;
        final double[] mean;
        final double[] norm;
        final double[] dot;

        Buffers(INDArray h) {
            int rows = (int) h.rows();
            xn = Nd4j.create(h.dataType(), h.shape(), 'f');
            dxn = Nd4j.create(h.dataType(), h.shape(), 'f');
            s = Nd4j.create(h.dataType(), new long[] {rows, rows}, 'c');
            mean = new double[rows];
            norm = new double[rows];
            dot = new double[rows];
        }
    }

    SimilarityMatching(int classes) {
        this.classes = classes;
    }

    /**
     * The loss of h [rows, width] ('f' order, as a layer's activations) against the labels; when
     * dh is not null, scale * dL/dh is ADDED to dh [rows, width] ('f').
     */
    double evaluate(INDArray h, int[] labels, INDArray dh, double scale) {
        requireColumnMajor(h);
        int rows = (int) h.rows();
        int width = (int) h.columns();
        Buffers b = buffersByRows.computeIfAbsent(rows, r -> new Buffers(h));
        DataBuffer hv = h.data();
        DataBuffer xn = b.xn.data();
        java.util.Arrays.fill(b.mean, 0);
        java.util.Arrays.fill(b.norm, 0);
        for (int c = 0; c < width; c++) {
            for (int r = 0; r < rows; r++) {
                b.mean[r] += hv.getDouble((long) c * rows + r);
            }
        }
        for (int r = 0; r < rows; r++) {
            b.mean[r] /= width;
        }
        for (int c = 0; c < width; c++) {
            for (int r = 0; r < rows; r++) {
                double d = hv.getDouble((long) c * rows + r) - b.mean[r];
                b.norm[r] += d * d;
            }
        }
        for (int r = 0; r < rows; r++) {
            b.norm[r] = Math.sqrt(b.norm[r]);
        }
        for (int c = 0; c < width; c++) {
            for (int r = 0; r < rows; r++) {
                long i = (long) c * rows + r;
                xn.put(i, (hv.getDouble(i) - b.mean[r]) / (EPS + b.norm[r]));
            }
        }
        Gemm.gemm(b.xn, b.xn, b.s, false, true, 1.0, 0.0);  // S(h) = xn xn^T
        // S(Y): a one-hot row centred is e_y - 1/C, of squared norm (C - 1)/C; rows of one class
        // have inner product (C - 1)/C, of two classes -1/C.
        double oneHotNorm = EPS + Math.sqrt((classes - 1.0) / classes);
        double same = ((classes - 1.0) / classes) / (oneHotNorm * oneHotNorm);
        double other = (-1.0 / classes) / (oneHotNorm * oneHotNorm);
        DataBuffer s = b.s.data();
        double loss = 0;
        double n2 = (double) rows * rows;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < rows; j++) {
                long k = (long) i * rows + j;
                double diff = s.getDouble(k) - (labels[i] == labels[j] ? same : other);
                loss += diff * diff;
                s.put(k, 2 * diff / n2);  // G = dL/dS, symmetric
            }
        }
        loss /= n2;
        if (dh == null) {
            return loss;
        }
        requireColumnMajor(dh);
        Gemm.gemm(b.s, b.xn, b.dxn, false, false, 2.0, 0.0);  // dL/dxn = (G + G^T) xn = 2 G xn
        DataBuffer g = b.dxn.data();
        java.util.Arrays.fill(b.dot, 0);
        for (int c = 0; c < width; c++) {
            for (int r = 0; r < rows; r++) {
                long i = (long) c * rows + r;
                b.dot[r] += g.getDouble(i) * xn.getDouble(i);
            }
        }
        // dL/dxc_j = g_j / (eps + |xc|) - (g . xn) xn_j / |xc|, then back through the centring:
        // dL/dh = dL/dxc - its row mean. A row with |xc| = 0 has xn = 0 and keeps the first term.
        java.util.Arrays.fill(b.mean, 0);
        for (int c = 0; c < width; c++) {
            for (int r = 0; r < rows; r++) {
                long i = (long) c * rows + r;
                double v = g.getDouble(i) / (EPS + b.norm[r]) - (b.norm[r] > 0 ? b.dot[r] * xn.getDouble(i) / b.norm[r] : 0);
                g.put(i, v);
                b.mean[r] += v;
            }
        }
        DataBuffer out = dh.data();
        for (int c = 0; c < width; c++) {
            for (int r = 0; r < rows; r++) {
                long i = (long) c * rows + r;
                out.put(i, out.getDouble(i) + scale * (g.getDouble(i) - b.mean[r] / width));
            }
        }
        return loss;
    }

    private static void requireColumnMajor(INDArray a) {
        if (a.ordering() != 'f' || a.isView()) {
            throw new IllegalArgumentException("similarity matching needs an 'f'-ordered array of its own");
        }
    }
}
