package org.manifoldlab.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SoftmaxCrossEntropyTest {

    @Test
    void handComputedBatchOfTwo() {
        // row 0: logits (0, ln 3) -> p = (1/4, 3/4), label 1: loss ln(4/3), correct
        // row 1: logits (0, 0)    -> p = (1/2, 1/2), label 0: loss ln 2, argmax ties to class 0: correct
        INDArray logits = Nd4j.create(new double[] {0, Math.log(3), 0, 0}, new long[] {2, 2}, 'c');
        INDArray grad = Nd4j.create(DataType.DOUBLE, new long[] {2, 2}, 'c');
        SoftmaxCrossEntropy.Tally t = SoftmaxCrossEntropy.evaluate(logits, new int[] {1, 0}, new int[] {1, 0}, grad);
        assertEquals(Math.log(4.0 / 3) + Math.log(2), t.lossSum(), 1e-12);
        assertEquals(2, t.correct());
        // dL/dlogits of the mean loss = (p - onehot) / 2
        assertEquals(0.25 / 2, grad.getDouble(0, 0), 1e-12);
        assertEquals(-0.25 / 2, grad.getDouble(0, 1), 1e-12);
        assertEquals(-0.5 / 2, grad.getDouble(1, 0), 1e-12);
        assertEquals(0.5 / 2, grad.getDouble(1, 1), 1e-12);
    }

    @Test
    void largeLogitsDoNotOverflow() {
        INDArray logits = Nd4j.create(new double[] {1000, 0}, new long[] {1, 2}, 'c');
        SoftmaxCrossEntropy.Tally t = SoftmaxCrossEntropy.evaluate(logits, new int[] {1}, new int[] {1}, null);
        assertEquals(1000.0, t.lossSum(), 1e-9);
        assertEquals(0, t.correct());
    }

    @Test
    void gradientOfASaturatedTargetKeepsItsPrecision() {
        // logits (40, 0, 0), target 0: p_0 - 1 = -2e^-40 / (1 + 2e^-40), about -8.5e-18, far below
        // double's resolution next to 1, so 1 - p_0 cannot be formed by subtraction.
        INDArray logits = Nd4j.create(new double[] {40, 0, 0}, new long[] {1, 3}, 'c');
        INDArray grad = Nd4j.create(DataType.DOUBLE, new long[] {1, 3}, 'c');
        SoftmaxCrossEntropy.evaluate(logits, new int[] {0}, new int[] {0}, grad);
        double other = Math.exp(-40) / (1 + 2 * Math.exp(-40));
        assertEquals(-2 * other, grad.getDouble(0, 0), 1e-12 * other);
        assertEquals(other, grad.getDouble(0, 1), 1e-12 * other);
        assertEquals(0.0, grad.sumNumber().doubleValue(), 1e-12 * other);
    }
}
