package org.manifoldlab.core.nn;

import java.util.HashMap;
import java.util.Map;
import org.manifoldlab.core.Gemm;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained softmax readout on fixed features: logits = h V + c, learned by minimising the mean
 * CE(softmax(h V + c), y) with an optimizer. The features h are constants (no gradient leaves
 * the readout), so it serves as a linear probe of a frozen layer (Alain and Bengio 2016) and as
 * a trained local readout. V starts at zero (the loss is convex in V and c, so the start only
 * matters for the path, and zero needs no random stream); each step allocates nothing.
 */
public final class SoftmaxReadout {

    private final int width;
    private final int classes;
    private final INDArray v;
    private final INDArray c;
    private final INDArray dv;
    private final INDArray dc;
    private final ParameterUpdater vUpdater;
    private final ParameterUpdater cUpdater;
    private final Map<Integer, INDArray[]> buffersByRows = new HashMap<>();

    /** @param optimizer the learning rule of V and c */
    public SoftmaxReadout(int width, int classes, DataType type, Optimizer optimizer) {
        this.width = width;
        this.classes = classes;
        this.v = Nd4j.create(type, new long[] {width, classes}, 'c');
        this.c = Nd4j.create(type, new long[] {classes}, 'c');
        this.dv = Nd4j.create(type, new long[] {width, classes}, 'c');
        this.dc = Nd4j.create(type, new long[] {classes}, 'c');
        this.vUpdater = optimizer.updaterFor(v);
        this.cUpdater = optimizer.updaterFor(c);
    }

    /** logits = h V + c into a buffer of this readout (valid until the next call with as many rows).  h: [rows, width]. */
    public INDArray logits(INDArray h) {
        INDArray[] b = buffers((int) h.rows());
        Gemm.gemm(h, v, b[0], false, false, 1.0, 0.0);
        b[0].addiRowVector(c);
        return b[0];
    }

    /** Loss and accuracy on a batch, weights unchanged. */
    public SoftmaxCrossEntropy.Tally evaluate(INDArray h, int[] labels) {
        return SoftmaxCrossEntropy.evaluate(logits(h), labels, labels, null);
    }

    /**
     * dL/dV = h^T dlogits and dL/dc = sum_rows dlogits of the mean loss on a batch, into
     * {@link #weightGradient()} and {@link #biasGradient()}; returns the loss and accuracy.
     */
    public SoftmaxCrossEntropy.Tally gradient(INDArray h, int[] labels) {
        INDArray[] b = buffers((int) h.rows());
        SoftmaxCrossEntropy.Tally tally = SoftmaxCrossEntropy.evaluate(logits(h), labels, labels, b[1]);
        Gemm.gemm(h, b[1], dv, true, false, 1.0, 0.0);
        b[1].sum(dc, 0);
        return tally;
    }

    /** One optimizer step on a batch; returns the loss and accuracy measured before it. */
    public SoftmaxCrossEntropy.Tally step(INDArray h, int[] labels) {
        SoftmaxCrossEntropy.Tally tally = gradient(h, labels);
        vUpdater.apply(v, dv);
        cUpdater.apply(c, dc);
        return tally;
    }

    /** V [width, classes], live. */
    public INDArray weights() {
        return v;
    }

    /** c [classes], live. */
    public INDArray bias() {
        return c;
    }

    /** dL/dV of the last {@link #gradient}. */
    public INDArray weightGradient() {
        return dv;
    }

    /** dL/dc of the last {@link #gradient}. */
    public INDArray biasGradient() {
        return dc;
    }

    public int width() {
        return width;
    }

    public int classes() {
        return classes;
    }

    /** logits and dlogits [rows, classes], 'c' order as SoftmaxCrossEntropy needs. */
    private INDArray[] buffers(int rows) {
        return buffersByRows.computeIfAbsent(rows, r -> new INDArray[] {
            Nd4j.create(v.dataType(), new long[] {r, classes}, 'c'), Nd4j.create(v.dataType(), new long[] {r, classes}, 'c')});
    }
}
