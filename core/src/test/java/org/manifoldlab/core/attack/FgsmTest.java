package org.manifoldlab.core.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.manifoldlab.core.nn.Activation;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.nn.TrainingMode;
import org.manifoldlab.core.seed.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FgsmTest {

    private static INDArray row(double... v) {
        return Nd4j.create(v, new long[] {1, v.length}, 'c');
    }

    @Test
    void handComputedStepToTheCornerThenClip() {
        // x + 0.1 sign(g) = (-0.1, 0.6, 1.05, 1.0, 0.3): clipped to [0, 1]; sign(0) = 0 leaves x alone
        INDArray x = row(0.0, 0.5, 0.95, 1.0, 0.3);
        INDArray g = row(-2.0, 1e-30, 7.0, 3.0, 0.0);
        INDArray out = Nd4j.create(DataType.DOUBLE, new long[] {1, 5}, 'c');
        new Fgsm(0.1).perturb(x, g, ClipRange.PIXELS, out);
        assertArrayEquals(new double[] {0.0, 0.6, 1.0, 1.0, 0.3}, out.toDoubleVector(), 1e-15);
    }

    @Test
    void floatKernelMatchesTheFormulaOnEveryEntry() {
        SplittableRandom r = Seeds.stream(1, "test-fgsm", 0);
        int n = 3 * 784;
        float[] x = new float[n];
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % 3 == 0 ? 0f : i % 3 == 1 ? 1f : (float) r.nextDouble();
            g[i] = i % 11 == 0 ? 0f : (float) r.nextGaussian();
        }
        INDArray xa = Nd4j.create(x, new long[] {3, 784}, 'c');
        INDArray ga = Nd4j.create(g, new long[] {3, 784}, 'c');
        INDArray out = Nd4j.create(DataType.FLOAT, new long[] {3, 784}, 'c');
        for (double eps : new double[] {0, 0.02, 0.3, 1.5}) {
            new Fgsm(eps).perturb(xa, ga, ClipRange.PIXELS, out);
            for (int i = 0; i < n; i++) {
                double s = g[i] > 0 ? 1 : g[i] < 0 ? -1 : 0;
                double expected = Math.min(1, Math.max(0, x[i] + eps * s));
                assertEquals(expected, out.getDouble(i), 1e-7, "eps " + eps + " entry " + i);
            }
        }
    }

    /** For small eps and no clipping, L(x') - L(x) = eps ||g||_1 to first order: FGSM ascends the loss it was given. */
    @Test
    void smallStepRaisesTheAttackedLayersLossByEpsTimesTheGradientsL1Norm() {
        int rows = 20;
        INDArray x = InputGradientTest.randomInput(rows, 22).muli(0.6).addi(0.2);  // in [0.2, 0.8]: no clipping
        int[] y = InputGradientTest.randomLabels(rows, 23);
        double eps = 1e-5;
        for (Activation activation : Activation.values()) {
            Network net = InputGradientTest.trainedNetwork(activation, TrainingMode.LOCAL, 21);
            for (int l = 1; l <= net.depth(); l++) {
                INDArray g = new InputGradient(net.frozenCopy()).compute(x, l, y, Nd4j.create(DataType.DOUBLE, new long[] {rows, 7}, 'c'));
                INDArray xp = Nd4j.create(DataType.DOUBLE, new long[] {rows, 7}, 'c');
                new Fgsm(eps).perturb(x, g, ClipRange.PIXELS, xp);
                int checked = 0;
                for (int r = 0; r < rows; r++) {
                    double predicted = eps * g.getRow(r).norm1Number().doubleValue();
                    if (predicted == 0) {
                        continue;  // every unit of some layer is off for this row: nothing to ascend
                    }
                    checked++;
                    double rise = InputGradientTest.referenceLoss(net, l, xp.getRow(r).toDoubleVector(), y[r])
                            - InputGradientTest.referenceLoss(net, l, x.getRow(r).toDoubleVector(), y[r]);
                    assertEquals(1.0, rise / predicted, 1e-3, activation + " layer " + l + " row " + r);
                }
                assertTrue(checked >= rows / 2, activation + " layer " + l + ": only " + checked + " rows with a gradient");
            }
        }
    }

    @Test
    void predictionTargetAttacksTheReadoutsOwnCleanPrediction() {
        Network net = AttackFixtures.smallTrained();
        ProbeBatch batch = ProbeBatch.split(AttackFixtures.probes(200), 200, DataType.FLOAT).get(0);
        Attacker attacker = new Attacker(net.frozenCopy(), ClipRange.PIXELS, 1);
        InputGradient reference = new InputGradient(net.frozenCopy());
        for (int l = 1; l <= net.depth(); l++) {
            reference.forward(batch.x(), l);
            int[] predicted = new int[batch.rows()];
            reference.predictions(l, predicted);
            int disagreements = 0;
            for (int r = 0; r < predicted.length; r++) {
                disagreements += predicted[r] != batch.labels()[r] ? 1 : 0;
            }
            assertTrue(disagreements > 0, "layer " + l + " is right on every sample: the two targets would coincide");
            INDArray g = reference.gradient(l, predicted, Nd4j.create(DataType.FLOAT, new long[] {batch.rows(), 784}, 'c'));
            INDArray expected = Nd4j.create(DataType.FLOAT, new long[] {batch.rows(), 784}, 'c');
            new Fgsm(0.1).perturb(batch.x(), g, ClipRange.PIXELS, expected);
            INDArray byPrediction = Nd4j.create(DataType.FLOAT, new long[] {batch.rows(), 784}, 'c');
            INDArray byLabel = Nd4j.create(DataType.FLOAT, new long[] {batch.rows(), 784}, 'c');
            attacker.perturb(batch, new Fgsm(0.1, LabelTarget.PREDICTION), l, byPrediction);
            attacker.perturb(batch, new Fgsm(0.1, LabelTarget.LABEL), l, byLabel);
            assertEquals(expected, byPrediction, "layer " + l);
            assertTrue(!byLabel.equals(byPrediction), "layer " + l + ": label and prediction targets gave the same batch");
        }
    }
}
