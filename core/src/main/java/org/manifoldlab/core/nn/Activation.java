package org.manifoldlab.core.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The hidden non-linearity f. Both derivatives are written in terms of the output h = f(z). */
public enum Activation {
    RELU {
        @Override
        public void applyInPlace(INDArray z) {
            Transforms.relu(z, false);
        }

        @Override
        public void backpropInPlace(INDArray h, INDArray dh, INDArray scratch) {
            // dz = dh * 1[h > 0]  (h > 0 exactly where z > 0), as three vectorised legacy ops: the
            // step into scratch, the product, and + 0 so that a negative dh times 0 is +0, not -0.
            // The result is bit for bit libnd4j's relu_bp (dh where h > 0, else +0) for finite dh,
            // at a fifth of its time (relu_bp is a custom op that does not vectorise: 1.0 ms
            // against 0.2 ms on 500 x 1000 floats). Two cases differ: a -0 dh where h > 0 comes
            // out +0 (equal as a number; no gemm writes -0), and an infinite or NaN dh where
            // h <= 0 comes out NaN, not 0 (a run with such a gradient has diverged either way).
            Nd4j.exec(new Step(h, scratch, 0.0));
            dh.muli(scratch).addi(0.0);
        }
    },
    TANH {
        @Override
        public void applyInPlace(INDArray z) {
            Transforms.tanh(z, false);
        }

        @Override
        public void backpropInPlace(INDArray h, INDArray dh, INDArray scratch) {
            // dz = dh * (1 - h^2)
            h.mul(h, scratch);
            scratch.rsubi(1.0);
            dh.muli(scratch);
        }
    };

    /** z becomes f(z). */
    public abstract void applyInPlace(INDArray z);

    /** dh (the gradient with respect to h) becomes dz, using h = f(z); scratch has h's shape. */
    public abstract void backpropInPlace(INDArray h, INDArray dh, INDArray scratch);

    /** Initial weight scale: He (2/fan-in) for ReLU, Glorot-like (1/fan-in) for tanh. */
    public double initVariance(int fanIn) {
        return (this == RELU ? 2.0 : 1.0) / fanIn;
    }
}
