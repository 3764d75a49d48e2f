package org.manifoldlab.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class ActivationTest {

    /**
     * The ReLU backward by hand: dh where h > 0, else +0 (the sign of a zero is part of the
     * answer). A -0 gradient comes out +0 where the unit is on (relu_bp keeps -0 there): equal as
     * numbers, and no gemm writes a -0 gradient (its sums start at +0).
     */
    @Test
    void reluBackpropKeepsTheGradientWhereTheUnitIsOnAndWritesPlusZeroElsewhere() {
        float[] h = {0f, 2f, 0f, 0.5f, 0f, 3f};
        float[] dh = {-1.5f, -2f, 4f, 0.25f, -0f, -0f};
        float[] expected = {0f, -2f, 0f, 0.25f, 0f, 0f};
        for (char order : new char[] {'c', 'f'}) {
            INDArray hh = Nd4j.create(h, new long[] {2, 3}, order);
            INDArray d = Nd4j.create(dh, new long[] {2, 3}, order);
            Activation.RELU.backpropInPlace(hh, d, Nd4j.create(DataType.FLOAT, new long[] {2, 3}, order));
            INDArray want = Nd4j.create(expected, new long[] {2, 3}, order);
            assertArrayEquals(bits(want), bits(d), "order " + order);
        }
    }

    /** Bit for bit libnd4j's relu_bp, which it replaces, on a layer-sized batch of 'f'-order activations. */
    @Test
    void reluBackpropEqualsLibnd4jsReluBpBitForBit() {
        Nd4j.getRandom().setSeed(7);
        INDArray h = Transforms.relu(Nd4j.randn(DataType.FLOAT, 500, 1000).dup('f'), true);
        INDArray dh = Nd4j.randn(DataType.FLOAT, 500, 1000).dup('f');
        INDArray reference = dh.dup('f');
        Nd4j.exec(new RectifiedLinearDerivative(h, reference, reference));
        Activation.RELU.backpropInPlace(h, dh, Nd4j.create(DataType.FLOAT, new long[] {500, 1000}, 'f'));
        assertArrayEquals(bits(reference), bits(dh));
        long zeros = h.eq(0.0).castTo(DataType.INT32).sumNumber().longValue();
        assertTrue(zeros > 100_000, "the case needs units that are off: " + zeros);
    }

    private static int[] bits(INDArray a) {
        float[] v = a.dup('c').data().asFloat();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Float.floatToRawIntBits(v[i]);
        }
        return out;
    }
}
