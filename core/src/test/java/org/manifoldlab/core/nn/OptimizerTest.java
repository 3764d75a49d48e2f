package org.manifoldlab.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;
import java.util.List;

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

    /**
     * The pass, its moments on the heap or natively, gives the bits of the plain element-by-element
     * loop over off-heap buffers (the test's own loop, in float, in the same order), for w and for
     * the moments a checkpoint copies, over 3 steps of a parameter of two and a bit chunks in 'f'
     * order.
     */
    @Test
    void adamGivesTheBitsOfThePlainLoopWithItsMomentsOnTheHeapOrNatively() {
        for (boolean onHeap : new boolean[] {true, false}) {
            int rows = 301;
            int cols = 2 * Adam.CHUNK / rows + 7;
            int n = rows * cols;
            INDArray w = uniform(DataType.FLOAT, new long[] {rows, cols}, 'f', 1);
            INDArray ref = w.dup('f');
            float[] refM = new float[n];
            float[] refV = new float[n];
            Adam rule = new Adam(0.01).withHeapState(onHeap);
            ParameterUpdater adam = rule.updaterFor(w);
            for (int t = 1; t <= 3; t++) {
                INDArray g = uniform(DataType.FLOAT, new long[] {rows, cols}, 'f', 10 + t).muli(t);
                FloatBuffer rw = ref.data().asNioFloat();
                FloatBuffer rg = g.data().asNioFloat();
                float step = (float) rule.stepSize(t);
                for (int i = 0; i < n; i++) {
                    float gi = rg.get(i);
                    float mi = 0.9f * refM[i] + (1 - 0.9f) * gi;
                    float vi = 0.999f * refV[i] + (1 - 0.999f) * gi * gi;
                    refM[i] = mi;
                    refV[i] = vi;
                    rw.put(i, rw.get(i) - step * mi / ((float) Math.sqrt(vi) + 1e-8f));
                }
                adam.apply(w, g);
            }
            String what = onHeap ? "on the heap" : "natively";
            assertArrayEquals(ref.data().asFloat(), w.data().asFloat(), what);
            List<INDArray> state = adam.stateCopy();
            assertEquals(2, adam.stateArrays());
            assertEquals('f', state.get(0).ordering(), what);
            assertArrayEquals(refM, state.get(0).data().asFloat(), what);
            assertArrayEquals(refV, state.get(1).data().asFloat(), what);
        }
    }

    /**
     * A state copied out and restored into a fresh updater, with its state on the heap or
     * natively, continues exactly as the original would; also from a 'c' copy into an 'f'
     * parameter (a checkpoint's arrays are read back in 'c' order).
     */
    @Test
    void aStateRestoredContinuesBitForBit() {
        for (Optimizer rule : new Optimizer[] {new Adam(0.01), new SgdMomentum(0.05, 0.9)}) {
            for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                for (boolean from : new boolean[] {true, false}) {
                    for (boolean to : new boolean[] {true, false}) {
                        String what = rule + " " + type + " " + from + " -> " + to;
                        long[] shape = {Adam.CHUNK / 100 + 3, 100};
                        INDArray w = uniform(type, shape, 'f', 2);
                        ParameterUpdater a = rule.withHeapState(from).updaterFor(w);
                        INDArray g1 = uniform(type, shape, 'f', 3);
                        INDArray g2 = uniform(type, shape, 'f', 4);
                        a.apply(w, g1);
                        a.apply(w, g2);
                        INDArray restored = w.dup('f');
                        ParameterUpdater b = rule.withHeapState(to).updaterFor(restored);
                        b.restore(a.stateCopy().stream().map(s -> s.dup('c')).toList(), a.steps());
                        a.apply(w, g1);
                        b.apply(restored, g1);
                        assertArrayEquals(w.data().asDouble(), restored.data().asDouble(), what);
                        for (int i = 0; i < a.stateArrays(); i++) {
                            assertArrayEquals(a.stateCopy().get(i).data().asDouble(), b.stateCopy().get(i).data().asDouble(), what);
                        }
                        assertEquals(a.stateArrays(), b.stateCopy().size(), what);
                        assertEquals(3, b.steps(), what);
                    }
                }
            }
        }
    }

    /** SGD's chunked pass, its velocity on the heap or natively, gives the bits of the plain loop over off-heap buffers. */
    @Test
    void sgdGivesTheBitsOfThePlainLoopWithItsVelocityOnTheHeapOrNatively() {
        for (boolean onHeap : new boolean[] {true, false}) {
            sgdGivesTheBitsOfThePlainLoop(onHeap);
        }
    }

    private static void sgdGivesTheBitsOfThePlainLoop(boolean onHeap) {
        int n = 2 * Adam.CHUNK + 77;
        INDArray w = uniform(DataType.FLOAT, new long[] {n}, 'c', 5);
        INDArray ref = w.dup();
        float[] u = new float[n];
        ParameterUpdater sgd = new SgdMomentum(0.05, 0.9, onHeap).updaterFor(w);
        for (int t = 1; t <= 3; t++) {
            INDArray g = uniform(DataType.FLOAT, new long[] {n}, 'c', 20 + t);
            FloatBuffer rw = ref.data().asNioFloat();
            FloatBuffer rg = g.data().asNioFloat();
            for (int i = 0; i < n; i++) {
                u[i] = 0.9f * u[i] + rg.get(i);
                rw.put(i, rw.get(i) - 0.05f * u[i]);
            }
            sgd.apply(w, g);
        }
        assertArrayEquals(ref.data().asFloat(), w.data().asFloat());
        assertArrayEquals(u, sgd.stateCopy().get(0).data().asFloat());
    }

    /** A network's state goes on the heap while it is at most an eighth of -Xmx. */
    @Test
    void stateGoesOnTheHeapUpToAnEighthOfIt() {
        long gb = 1L << 30;
        assertEquals(true, Optimizer.stateOnHeap(gb / 8, gb));
        assertEquals(false, Optimizer.stateOnHeap(gb / 8 + 1, gb));
        assertEquals(false, new Adam(0.1).withHeapState(false).heapState());
        assertEquals(new Adam(0.1), new Adam(0.1).withHeapState(false).withHeapState(true));
    }

    /** Values uniform in [-0.5, 0.5) from a seeded stream, in an array of the given type, shape and ordering. */
    private static INDArray uniform(DataType type, long[] shape, char order, long seed) {
        java.util.Random random = new java.util.Random(seed);
        long n = java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        double[] values = new double[(int) n];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextDouble() - 0.5;
        }
        return Nd4j.create(values, shape, order).castTo(type);
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
