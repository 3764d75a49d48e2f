package org.manifoldlab.core.nn;

import java.util.SplittableRandom;
import org.manifoldlab.core.Gemm;
import org.manifoldlab.core.seed.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** h = f(x W + b): the weights W [in, out] and bias b [out] of one hidden layer. */
public final class DenseLayer {

    private final int in;
    private final int out;
    private final Activation activation;
    private final INDArray w;
    private final INDArray b;

    public DenseLayer(int in, int out, Activation activation, INDArray w, INDArray b) {
        if (w.rows() != in || w.columns() != out || b.length() != out) {
            throw new IllegalArgumentException("W must be [" + in + ", " + out + "], b [" + out + "]");
        }
        this.in = in;
        this.out = out;
        this.activation = activation;
        this.w = w;
        this.b = b;
    }

    /** W ~ N(0, activation.initVariance(in)), b = 0, from the stream (seed, "init", layer). */
    public static DenseLayer initialise(int in, int out, Activation activation, DataType type, long seed, int layer) {
        SplittableRandom random = Seeds.stream(seed, "init", layer);
        float[] values = new float[in * out];
        Seeds.fillGaussian(random, values, Math.sqrt(activation.initVariance(in)));
        INDArray w = Nd4j.create(values, new long[] {in, out}, 'c').castTo(type);
        INDArray b = Nd4j.create(type, new long[] {out}, 'c');
        return new DenseLayer(in, out, activation, w, b);
    }

    /** h = f(x W + b).  x: [rows, in], h: [rows, out] (preallocated). */
    public INDArray forward(INDArray x, INDArray h) {
        Gemm.gemm(x, w, h, false, false, 1.0, 0.0);
        h.addiRowVector(b);
        activation.applyInPlace(h);
        return h;
    }

    /**
     * Back through this layer. dh: [rows, out] holds dL/dh on entry and dL/dz on exit.
     * Writes dW = x^T dz and db = sum_rows dz when dw is not null, and dx = dz W^T when dx is
     * not null. scratch: [rows, out], used by activations whose derivative needs it.
     */
    public void backward(INDArray x, INDArray h, INDArray dh, INDArray scratch, INDArray dw, INDArray db, INDArray dx) {
        activation.backpropInPlace(h, dh, scratch);
        if (dw != null) {
            Gemm.gemm(x, dh, dw, true, false, 1.0, 0.0);
            dh.sum(db, 0);
        }
        if (dx != null) {
            Gemm.gemm(dh, w, dx, false, true, 1.0, 0.0);
        }
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    public Activation activation() {
        return activation;
    }

    /** The live weights; callers that keep them must copy. */
    public INDArray w() {
        return w;
    }

    /** The live bias; callers that keep them must copy. */
    public INDArray b() {
        return b;
    }

    /** An independent copy (a frozen snapshot for analysis and attacks). */
    public DenseLayer copy() {
        return new DenseLayer(in, out, activation, w.dup('c'), b.dup('c'));
    }
}
