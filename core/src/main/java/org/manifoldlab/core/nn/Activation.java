package org.manifoldlab.core.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
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
            // dz = dh * 1[h > 0]  (h > 0 exactly where z > 0)
            Nd4j.exec(new RectifiedLinearDerivative(h, dh, dh));
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
