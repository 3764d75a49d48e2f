package org.manifoldlab.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.manifoldlab.core.nn.LocalGradientTest.numeric;
import static org.manifoldlab.core.nn.LocalGradientTest.randomInput;
import static org.manifoldlab.core.nn.LocalGradientTest.randomLabels;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.manifoldlab.core.seed.Seeds;
import org.manifoldlab.core.spectrum.SpectralPenalty;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every local rule's and the spectral penalty's gradients against central finite differences, in double. */
class LocalRulesGradientTest {

    private static final int ROWS = 6;
    private static final int CLASSES = 3;

    private static Network network(Activation activation, LearningRules rules) {
        Network.Shape shape = new Network.Shape(7, new int[] {6, 5, 4}, CLASSES, activation, 1.0);
        return Network.create(shape, new SgdMomentum(0.0, 0.0), DataType.DOUBLE, 42, TrainingMode.LOCAL, rules);
    }

    /** B drawn at random, so a readout that starts at zero (pred) passes a gradient down too. */
    private static void randomReadouts(Network net) {
        SplittableRandom r = Seeds.stream(9, "test-readout", 0);
        for (LocalLayer layer : net.layers()) {
            INDArray b = layer.readout().matrix();
            for (long i = 0; i < b.length(); i++) {
                b.putScalar(i, r.nextGaussian() * 0.5);
            }
        }
    }

    @Test
    void everyRuleGradientMatchesFiniteDifferences() {
        for (LocalLoss loss : LocalLoss.values()) {
            for (Activation activation : Activation.values()) {
                Network net = network(activation, new LearningRules(loss, 0.7, null));
                randomReadouts(net);
                INDArray x = randomInput(ROWS, 7, 1);
                int[] y = randomLabels(ROWS, CLASSES, 2);
                INDArray input = x;
                for (LocalLayer layer : net.layers()) {
                    INDArray in = input.dup();
                    layer.forward(in);
                    layer.localLoss(y, true);
                    layer.backward(in, null);
                    String what = loss + " " + activation + " layer " + layer.index();
                    assertEquals(loss.trainsReadout(), layer.readoutTrained(), what + ": readout trained");
                    assertClose(layer.weightGradient().dup(), numeric(layer.dense().w(), () -> ruleLoss(layer, in, y)), what + " dW");
                    assertClose(layer.biasGradient().dup(), numeric(layer.dense().b(), () -> ruleLoss(layer, in, y)), what + " db");
                    if (loss.trainsReadout()) {
                        layer.forward(in);
                        layer.localLoss(y, true);
                        assertClose(layer.readoutGradient().dup(), numeric(layer.readout().matrix(), () -> ruleLoss(layer, in, y)),
                                what + " dB");
                    }
                    input = layer.forward(in).dup();
                }
            }
        }
    }

    /** The rule's loss is the one the gradient descends: pred's and sim's mixed by beta in predsim. */
    @Test
    void predsimIsTheBetaMixtureOfPredAndSim() {
        INDArray x = randomInput(ROWS, 7, 3);
        int[] y = randomLabels(ROWS, CLASSES, 4);
        double pred = firstLayerLoss(LocalLoss.PRED, x, y);
        double sim = firstLayerLoss(LocalLoss.SIM, x, y);
        assertEquals(0.3 * pred + 0.7 * sim, firstLayerLoss(LocalLoss.PREDSIM, x, y), 1e-12);
        assertNotEquals(pred, sim);
    }

    private static double firstLayerLoss(LocalLoss loss, INDArray x, int[] y) {
        Network net = network(Activation.RELU, new LearningRules(loss, 0.7, null));
        randomReadouts(net);
        return ruleLoss(net.layer(1), x, y);
    }

    /**
     * sim by hand, the authors' similarity_matrix written out: rows centred on their own mean and
     * divided by 1e-8 + their norm; labels one-hot, so S(Y) is 1 within a class and -1/(C - 1) across.
     */
    @Test
    void similarityLossEqualsTheCorrelationMatrixWrittenOut() {
        double[][] h = {{1, 2, 3, 0}, {0, 0, 1, 1}, {2, 0, 0, 5}};
        int[] y = {0, 1, 0};
        INDArray hf = Nd4j.create(h).castTo(DataType.DOUBLE).dup('f');
        double loss = new SimilarityMatching(3).evaluate(hf, y, null, 1.0);
        double[][] xn = new double[3][];
        for (int i = 0; i < 3; i++) {
            double mean = (h[i][0] + h[i][1] + h[i][2] + h[i][3]) / 4;
            double[] c = new double[4];
            double norm = 0;
            for (int j = 0; j < 4; j++) {
                c[j] = h[i][j] - mean;
                norm += c[j] * c[j];
            }
            for (int j = 0; j < 4; j++) {
                c[j] /= 1e-8 + Math.sqrt(norm);
            }
            xn[i] = c;
        }
        double expected = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int k = 0; k < 4; k++) {
                    s += xn[i][k] * xn[j][k];
                }
                double target = y[i] == y[j] ? 1 : -0.5;
                expected += (s - target) * (s - target);
            }
        }
        assertEquals(expected / 9, loss, 1e-7);
        // rows 0 and 2 of one class: correlation of (1,2,3,0) and (2,0,0,5) is -0.5976...; their term alone is large
        assertTrue(loss > 0.1, "loss " + loss);
    }

    /** The penalty's gradient through the layer (weight 0.5) against differences of P(f(x_p W + b)), the anchor held. */
    @Test
    void penaltyGradientThroughTheLayerMatchesFiniteDifferences() {
        for (Activation activation : Activation.values()) {
            SpectralPenalty.Settings settings = new SpectralPenalty.Settings(List.of(1, 2), 0.8, 0.5, 1, 12, 1, 4);
            Network net = network(activation, new LearningRules(LocalLoss.FIXED_READOUT, 0.99, settings));
            INDArray xp = randomInput(12, 7, 5);
            INDArray x = randomInput(ROWS, 7, 6);
            int[] y = randomLabels(ROWS, CLASSES, 7);
            INDArray input = xp;
            INDArray main = x;
            for (LocalLayer layer : net.layers().subList(0, 2)) {
                INDArray in = input.dup();
                INDArray mainIn = main.dup();
                layer.forward(mainIn);
                INDArray out = layer.forwardPenaltyBatch(in).dup();
                double anchor = anchor(out, 1);
                layer.learnLocally(mainIn, y);  // SGD with learning rate 0: the weights stay
                INDArray dw = layer.penaltyWeightGradient().dup();
                assertClose(dw, numeric(layer.dense().w(), () -> 0.5 * penaltyAt(layer, in, settings, anchor)),
                        activation + " penalty dW" + layer.index());
                assertTrue(dw.norm2Number().doubleValue() > 0, "the penalty moves W");
                input = out;
                main = layer.forward(mainIn).dup();
            }
            assertTrue(!net.layer(3).feedsPenalty() && net.layer(2).feedsPenalty() && !net.layer(2).passesPenaltyBatch(),
                    "the penalty batch goes up to the highest penalised layer only");
        }
    }

    private static double anchor(INDArray h, int lo) {
        return org.manifoldlab.core.spectrum.Eigenvalues.descending(covariance(h))[lo - 1];
    }

    /** P at the layer's output on x, the anchor fixed. */
    private static double penaltyAt(LocalLayer layer, INDArray x, SpectralPenalty.Settings s, double anchor) {
        INDArray h = layer.forwardPenaltyBatch(x);
        double[] lambda = org.manifoldlab.core.spectrum.Eigenvalues.descending(covariance(h));
        int width = (int) h.columns();
        return SpectralPenalty.ofEigenvalues(lambda, s.fitLo(), s.hi(width), s.targetAlpha(), width, anchor).penalty();
    }

    /** Hc^T Hc / (N - 1), written out. */
    static INDArray covariance(INDArray h) {
        int n = (int) h.rows();
        int d = (int) h.columns();
        double[][] c = new double[d][d];
        double[] mean = new double[d];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < n; i++) {
                mean[j] += h.getDouble(i, j) / n;
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += (h.getDouble(i, a) - mean[a]) * (h.getDouble(i, b) - mean[b]);
                }
                c[a][b] = s / (n - 1);
            }
        }
        return Nd4j.create(c);
    }

    /**
     * Relative error |a - n| / max(|a| + |n|, 1e-5) below 1e-4 for every entry: as LocalGradientTest,
     * with a floor of 1e-5, since sim's gradients fall to 1e-9 at a layer of mostly dead ReLUs, where
     * a central difference of step 1e-6 of a loss of order 1 carries a rounding error near 1e-10.
     */
    static void assertClose(INDArray analytic, INDArray numeric, String what) {
        double worst = 0;
        for (long i = 0; i < analytic.length(); i++) {
            double a = analytic.getDouble(i);
            double n = numeric.getDouble(i);
            worst = Math.max(worst, Math.abs(a - n) / Math.max(Math.abs(a) + Math.abs(n), 1e-5));
        }
        assertTrue(worst < 1e-4, what + ": worst relative error " + worst);
    }

    private static double ruleLoss(LocalLayer layer, INDArray x, int[] y) {
        layer.forward(x);
        return layer.localLoss(y, false).lossSum() / x.rows();
    }
}
