package org.manifoldlab.core.nn;

import org.manifoldlab.core.Gemm;
import org.manifoldlab.core.seed.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fixed random readout B_l [width, classes] of one hidden layer: logits = h B_l.
 * B_l ~ N(0, scale^2 / width), drawn once from (seed, "readout", layer) and never trained,
 * except the output layer's of a backprop network, which starts there and learns (see
 * {@link LocalLayer}).
 */
public final class LocalReadout {

    private final INDArray b;

    public LocalReadout(INDArray b) {
        this.b = b;
    }

    public static LocalReadout random(int width, int classes, double scale, DataType type, long seed, int layer) {
        float[] values = new float[width * classes];
        Seeds.fillGaussian(Seeds.stream(seed, "readout", layer), values, scale / Math.sqrt(width));
        return new LocalReadout(Nd4j.create(values, new long[] {width, classes}, 'c').castTo(type));
    }

    /** B = 0 [width, classes]: the start of a readout trained as a linear classifier (pred, predsim). */
    public static LocalReadout zeros(int width, int classes, DataType type) {
        return new LocalReadout(Nd4j.create(type, new long[] {width, classes}, 'c'));
    }

    /** logits = h B.  h: [rows, width], logits: [rows, classes]. */
    public INDArray logits(INDArray h, INDArray logits) {
        return Gemm.gemm(h, b, logits, false, false, 1.0, 0.0);
    }

    /** dh = dlogits B^T.  dlogits: [rows, classes], dh: [rows, width]. */
    public INDArray backward(INDArray dlogits, INDArray dh) {
        return Gemm.gemm(dlogits, b, dh, false, true, 1.0, 0.0);
    }

    public int width() {
        return (int) b.rows();
    }

    public int classes() {
        return (int) b.columns();
    }

    /** The matrix itself (live: a trained readout's optimizer updates it in place; callers must not modify it). */
    public INDArray matrix() {
        return b;
    }
}
