package org.manifoldlab.core.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.manifoldlab.core.data.Batch;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.Activation;
import org.manifoldlab.core.nn.LocalLayer;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.nn.PlainTrainer;
import org.manifoldlab.core.nn.SgdMomentum;
import org.manifoldlab.core.nn.TrainingMode;
import org.manifoldlab.core.seed.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The end-to-end input gradient against central finite differences of an independent loss
 * (plain Java, double precision, straight from the weights), at every layer's readout.
 */
class InputGradientTest {

    private static final int INPUTS = 7;
    private static final int CLASSES = 3;
    private static final int ROWS = 6;
    private static final double H = 1e-6;

    /** A small double network, trained a few steps (so its biases are not zero) in the given mode. */
    static Network trainedNetwork(Activation activation, TrainingMode mode, long seed) {
        Network.Shape shape = new Network.Shape(INPUTS, new int[] {6, 5, 4}, CLASSES, activation, 1.0);
        Network net = Network.create(shape, new SgdMomentum(0.2, 0.5), DataType.DOUBLE, seed, mode);
        SplittableRandom r = Seeds.stream(seed, "test-train-data", 0);
        float[] x = new float[40 * INPUTS];
        int[] y = new int[40];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextInt(CLASSES);
            for (int f = 0; f < INPUTS; f++) {
                x[i * INPUTS + f] = (float) r.nextDouble();
            }
        }
        PlainTrainer trainer = new PlainTrainer(net, mode, 10, 3, seed);
        for (int epoch = 1; epoch <= 3; epoch++) {
            trainer.trainEpoch(new Dataset("toy", INPUTS, CLASSES, x, y), epoch);
        }
        return net;
    }

    static INDArray randomInput(int rows, long seed) {
        SplittableRandom r = Seeds.stream(seed, "test-input", 0);
        double[] v = new double[rows * INPUTS];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble();
        }
        return Nd4j.create(v, new long[] {rows, INPUTS}, 'c');
    }

    static int[] randomLabels(int rows, long seed) {
        SplittableRandom r = Seeds.stream(seed, "test-labels", 0);
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = r.nextInt(CLASSES);
        }
        return y;
    }

    @Test
    void inputGradientOfEveryLayerMatchesFiniteDifferences() {
        for (TrainingMode mode : new TrainingMode[] {TrainingMode.LOCAL, TrainingMode.BACKPROP}) {
            for (Activation activation : Activation.values()) {
                Network net = trainedNetwork(activation, mode, 11);
                InputGradient gradient = new InputGradient(net.frozenCopy());
                INDArray x = randomInput(ROWS, 5);
                for (int[] targets : new int[][] {randomLabels(ROWS, 6), randomLabels(ROWS, 7)}) {
                    for (int l = 1; l <= net.depth(); l++) {
                        INDArray analytic = gradient.compute(x.dup(), l, targets, Nd4j.create(DataType.DOUBLE, new long[] {ROWS, INPUTS}, 'c'));
                        INDArray numeric = numericGradient(net, l, x, targets);
                        assertClose(analytic, numeric, mode + " " + activation + " layer " + l);
                    }
                }
            }
        }
    }

    @Test
    void oneForwardServesTheGradientOfEveryLayer() {
        Network net = trainedNetwork(Activation.RELU, TrainingMode.LOCAL, 3);
        INDArray x = randomInput(ROWS, 8);
        int[] y = randomLabels(ROWS, 9);
        InputGradient separate = new InputGradient(net.frozenCopy());
        InputGradient shared = new InputGradient(net.frozenCopy());
        shared.forward(x, net.depth());
        for (int l : new int[] {2, 3, 1, 3}) {
            INDArray a = separate.compute(x, l, y, Nd4j.create(DataType.DOUBLE, new long[] {ROWS, INPUTS}, 'c'));
            INDArray b = shared.gradient(l, y, Nd4j.create(DataType.DOUBLE, new long[] {ROWS, INPUTS}, 'c'));
            assertEquals(a, b, "layer " + l);
        }
    }

    @Test
    void aLiveNetworkIsRefusedSoTrainingBuffersAreNeverTouched() {
        Network live = trainedNetwork(Activation.RELU, TrainingMode.LOCAL, 5);
        assertThrows(IllegalArgumentException.class, () -> new InputGradient(live));
        assertThrows(IllegalArgumentException.class, () -> new AttackEvaluator(live, ClipRange.PIXELS, 1));
        new InputGradient(live.frozenCopy());
    }

    @Test
    void predictionsAreTheArgmaxOfTheReadout() {
        Network net = trainedNetwork(Activation.TANH, TrainingMode.LOCAL, 4);
        INDArray x = randomInput(ROWS, 10);
        InputGradient gradient = new InputGradient(net.frozenCopy());
        gradient.forward(x, net.depth());
        for (int l = 1; l <= net.depth(); l++) {
            int[] predicted = new int[ROWS];
            gradient.predictions(l, predicted);
            for (int r = 0; r < ROWS; r++) {
                double[] logits = referenceLogits(net, l, row(x, r));
                int best = 0;
                for (int c = 1; c < CLASSES; c++) {
                    best = logits[c] > logits[best] ? c : best;
                }
                assertEquals(best, predicted[r], "layer " + l + " row " + r);
            }
        }
    }

    @Test
    void floatGradientAgreesWithDoubleOnMnistSizedLayers() {
        Network.Shape shape = new Network.Shape(784, new int[] {200, 200}, 10, Activation.RELU, 1.0);
        Network d = Network.create(shape, null, DataType.DOUBLE, 2);
        Network f = Network.create(shape, null, DataType.FLOAT, 2);
        SplittableRandom r = Seeds.stream(2, "test-input", 0);
        float[] values = new float[8 * 784];
        int[] labels = new int[8];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) r.nextDouble();
        }
        Dataset data = new Dataset("noise", 784, 10, values, labels);
        for (int l = 1; l <= 2; l++) {
            INDArray gd = new InputGradient(d).compute(new Batch(DataType.DOUBLE, 8, 784).fillRange(data, 0).x(), l, labels,
                    Nd4j.create(DataType.DOUBLE, new long[] {8, 784}, 'c'));
            INDArray gf = new InputGradient(f).compute(new Batch(DataType.FLOAT, 8, 784).fillRange(data, 0).x(), l, labels,
                    Nd4j.create(DataType.FLOAT, new long[] {8, 784}, 'c'));
            double scale = gd.norm2Number().doubleValue();
            double diff = gd.sub(gf.castTo(DataType.DOUBLE)).norm2Number().doubleValue();
            assertTrue(diff / scale < 1e-5, "layer " + l + ": float vs double relative difference " + diff / scale);
        }
    }

    /** Central differences of the summed per-sample loss (so row i is sample i's own gradient). */
    private static INDArray numericGradient(Network net, int layer, INDArray x, int[] targets) {
        INDArray grad = Nd4j.create(DataType.DOUBLE, new long[] {ROWS, INPUTS}, 'c');
        for (int r = 0; r < ROWS; r++) {
            double[] xr = row(x, r);
            for (int j = 0; j < INPUTS; j++) {
                double v = xr[j];
                xr[j] = v + H;
                double up = referenceLoss(net, layer, xr, targets[r]);
                xr[j] = v - H;
                double down = referenceLoss(net, layer, xr, targets[r]);
                xr[j] = v;
                grad.putScalar(new long[] {r, j}, (up - down) / (2 * H));
            }
        }
        return grad;
    }

    private static double[] row(INDArray x, int r) {
        double[] out = new double[x.columns()];
        for (int j = 0; j < out.length; j++) {
            out[j] = x.getDouble(r, j);
        }
        return out;
    }

    /** -log softmax_t(B_l h_l(x)), computed from the weights in plain Java. */
    static double referenceLoss(Network net, int layer, double[] x, int target) {
        double[] logits = referenceLogits(net, layer, x);
        double max = Double.NEGATIVE_INFINITY;
        for (double z : logits) {
            max = Math.max(max, z);
        }
        double sum = 0;
        for (double z : logits) {
            sum += Math.exp(z - max);
        }
        return Math.log(sum) + max - logits[target];
    }

    /** B_l h_l(x) with h_k = f(h_{k-1} W_k + b_k), in plain Java. */
    static double[] referenceLogits(Network net, int layer, double[] x) {
        double[] h = x;
        for (int k = 1; k <= layer; k++) {
            LocalLayer l = net.layer(k);
            INDArray w = l.dense().w();
            double[] next = new double[l.dense().out()];
            for (int o = 0; o < next.length; o++) {
                double z = l.dense().b().getDouble(o);
                for (int i = 0; i < h.length; i++) {
                    z += h[i] * w.getDouble(i, o);
                }
                next[o] = l.dense().activation() == Activation.RELU ? Math.max(0, z) : Math.tanh(z);
            }
            h = next;
        }
        INDArray b = net.layer(layer).readout().matrix();
        double[] logits = new double[b.columns()];
        for (int c = 0; c < logits.length; c++) {
            for (int i = 0; i < h.length; i++) {
                logits[c] += h[i] * b.getDouble(i, c);
            }
        }
        return logits;
    }

    /** Relative error |a - n| / max(|a| + |n|, 1e-8) below 1e-4 for every entry. */
    private static void assertClose(INDArray analytic, INDArray numeric, String what) {
        double worst = 0;
        double largest = 0;
        for (long i = 0; i < analytic.length(); i++) {
            double a = analytic.getDouble(i);
            double n = numeric.getDouble(i);
            largest = Math.max(largest, Math.abs(n));
            worst = Math.max(worst, Math.abs(a - n) / Math.max(Math.abs(a) + Math.abs(n), 1e-8));
        }
        assertTrue(largest > 1e-3, what + ": the gradient is (nearly) zero, the check would prove nothing");
        assertTrue(worst < 1e-4, what + ": worst relative error " + worst);
    }
}
