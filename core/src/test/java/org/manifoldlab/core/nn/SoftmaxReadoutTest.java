package org.manifoldlab.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The trained softmax readout: gradients against finite differences, a hand-computed case, and learning. */
class SoftmaxReadoutTest {

    @Test
    void gradientOfTheMeanLossMatchesFiniteDifferences() {
        SoftmaxReadout readout = new SoftmaxReadout(6, 4, DataType.DOUBLE, new SgdMomentum(0.5, 0.0));
        INDArray h = LocalGradientTest.randomInput(5, 6, 21);
        int[] y = LocalGradientTest.randomLabels(5, 4, 22);
        for (int k = 0; k < 3; k++) {
            readout.step(h, y);  // away from V = 0, where every class ties
        }
        readout.gradient(h, y);
        INDArray dv = readout.weightGradient().dup();
        INDArray dc = readout.biasGradient().dup();
        LocalGradientTest.assertClose(dv, LocalGradientTest.numeric(readout.weights(), () -> readout.evaluate(h, y).lossSum() / 5), "dV");
        LocalGradientTest.assertClose(dc, LocalGradientTest.numeric(readout.bias(), () -> readout.evaluate(h, y).lossSum() / 5), "dc");
    }

    @Test
    void atZeroEveryClassTiesSoTheLossIsLogClassesAndTheBiasGradientIsHandComputable() {
        SoftmaxReadout readout = new SoftmaxReadout(3, 4, DataType.DOUBLE, new SgdMomentum(0.1, 0.0));
        INDArray h = LocalGradientTest.randomInput(2, 3, 23);
        int[] y = {1, 1};
        SoftmaxCrossEntropy.Tally t = readout.gradient(h, y);
        assertEquals(2 * Math.log(4), t.lossSum(), 1e-12);
        // dL/dc_k = mean over rows of (1/4 - [k == y]) = 1/4 for k != 1 and -3/4 for k = 1
        double[] expected = {0.25, -0.75, 0.25, 0.25};
        for (int k = 0; k < 4; k++) {
            assertEquals(expected[k], readout.biasGradient().getDouble(k), 1e-12, "class " + k);
        }
    }

    @Test
    void learnsALinearlySeparableProblemExactly() {
        // class = argmax of the first three features: a softmax readout can represent it
        INDArray h = LocalGradientTest.randomInput(300, 5, 24);
        int[] y = new int[300];
        for (int r = 0; r < 300; r++) {
            double best = -1;
            for (int k = 0; k < 3; k++) {
                if (h.getDouble(r, k) > best) {
                    best = h.getDouble(r, k);
                    y[r] = k;
                }
            }
        }
        SoftmaxReadout readout = new SoftmaxReadout(5, 3, DataType.DOUBLE, new Adam(0.05));
        double first = readout.evaluate(h, y).lossSum();
        for (int k = 0; k < 2000; k++) {
            readout.step(h, y);
        }
        SoftmaxCrossEntropy.Tally after = readout.evaluate(h, y);
        assertTrue(after.lossSum() < first / 5, "loss " + first + " -> " + after.lossSum());
        assertTrue(after.correct() >= 294, after.correct() + " of 300 right");
    }
}
