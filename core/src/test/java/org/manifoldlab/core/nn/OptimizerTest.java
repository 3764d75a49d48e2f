package org.manifoldlab.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The fused update loops against the textbook formulas computed by hand in the test. */
class OptimizerTest {

    @Test
    void adamMatchesTheFormulaOverThreeSteps() {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            INDArray w = Nd4j.create(new double[] {0.5, -1.0, 2.0}, new long[] {3}, type);
            ParameterUpdater adam = new Adam(0.1, 0.9, 0.999, 1e-8).updaterFor(w);
            double[] ref = {0.5, -1.0, 2.0};
            double[] m = new double[3];
            double[] v = new double[3];
            double[][] grads = {{1, -2, 0.5}, {0.3, 0.1, -4}, {-1, 1, 0}};
            for (int t = 1; t <= 3; t++) {
                adam.apply(w, Nd4j.create(grads[t - 1], new long[] {3}, type));
                for (int i = 0; i < 3; i++) {
                    double g = grads[t - 1][i];
                    m[i] = 0.9 * m[i] + 0.1 * g;
                    v[i] = 0.999 * v[i] + 0.001 * g * g;
                    double mHat = m[i] / (1 - Math.pow(0.9, t));
                    double vHat = v[i] / (1 - Math.pow(0.999, t));
                    // the fused form puts eps outside the bias correction; equal to 1e-7 here
                    ref[i] -= 0.1 * mHat / (Math.sqrt(vHat) + 1e-8);
                }
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(ref[i], w.getDouble(i), type == DataType.DOUBLE ? 1e-7 : 1e-5, type + " w" + i);
            }
            assertEquals(3, adam.steps());
        }
    }

    /** A float parameter of two and a bit chunks: every element, the last chunk's too, is updated by the formula. */
    @Test
    void adamUpdatesEveryElementOfAParameterLongerThanAChunk() {
        int n = 2 * Adam.CHUNK + 123;
        float[] w0 = new float[n];
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            w0[i] = (float) Math.sin(i);
            g[i] = (float) Math.cos(0.37 * i);
        }
        INDArray w = Nd4j.create(w0.clone(), new long[] {n}, 'c');
        ParameterUpdater adam = new Adam(0.1, 0.9, 0.999, 1e-8).updaterFor(w);
        adam.apply(w, Nd4j.create(g, new long[] {n}, 'c'));
        adam.apply(w, Nd4j.create(g, new long[] {n}, 'c'));
        for (int i = 0; i < n; i++) {
            // the same g twice: m_t = g (1 - 0.9^t), v_t = g^2 (1 - 0.999^t), so step t is
            // lr sqrt(1 - 0.999^t) / (1 - 0.9^t) m_t / (sqrt(v_t) + eps) = lr g r_t / (|g| r_t + eps), r_t = sqrt(1 - 0.999^t)
            double expected = w0[i];
            for (int t = 1; t <= 2; t++) {
                double r = Math.sqrt(1 - Math.pow(0.999, t));
                expected -= 0.1 * g[i] * r / (Math.abs(g[i]) * r + 1e-8);
            }
            // within the float betas' rounding (1 - 0.999f is 1.00005e-3); a skipped or repeated element is off by 0.1
            assertEquals(expected, w.getFloat(i), 1e-5, "element " + i + " of " + n);
        }
    }

    @Test
    void firstAdamStepMovesEachWeightByTheLearningRate() {
        INDArray w = Nd4j.create(new double[] {0, 0}, new long[] {2}, DataType.DOUBLE);
        new Adam(0.01).updaterFor(w).apply(w, Nd4j.create(new double[] {3, -0.002}, new long[] {2}, DataType.DOUBLE));
        assertEquals(-0.01, w.getDouble(0), 1e-8);
        // |step| = lr |g| / (|g| + eps / sqrt(1 - beta2)): the fused form's epsilon, visible at small |g|
        assertEquals(0.01 * 0.002 / (0.002 + 1e-8 / Math.sqrt(0.001)), w.getDouble(1), 1e-12);
    }

    @Test
    void sgdMomentumMatchesTheFormula() {
        INDArray w = Nd4j.create(new double[] {1.0}, new long[] {1}, DataType.DOUBLE);
        ParameterUpdater sgd = new SgdMomentum(0.1, 0.5).updaterFor(w);
        sgd.apply(w, Nd4j.create(new double[] {2.0}, new long[] {1}, DataType.DOUBLE));  // u = 2, w = 0.8
        sgd.apply(w, Nd4j.create(new double[] {1.0}, new long[] {1}, DataType.DOUBLE));  // u = 2, w = 0.6
        assertEquals(0.6, w.getDouble(0), 1e-12);
    }
}
