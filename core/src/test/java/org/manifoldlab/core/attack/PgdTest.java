package org.manifoldlab.core.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.manifoldlab.core.data.Dataset;
import org.junit.jupiter.api.Test;
import org.manifoldlab.core.nn.Network;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class PgdTest {

    private static INDArray row(double... v) {
        return Nd4j.create(v, new long[] {1, v.length}, 'c');
    }

    @Test
    void handComputedStepIsProjectedOntoTheBallAndTheClipRange() {
        // y + 0.05 sign(g) = (0.63, 0.40, -0.05, 1.05, 0.25); boxes [x - 0.1, x + 0.1] within [0, 1]:
        // [0.4, 0.6], [0.4, 0.6], [0, 0.12], [0.88, 1], [0.1, 0.3]
        INDArray x = row(0.5, 0.5, 0.02, 0.98, 0.2);
        INDArray y = row(0.58, 0.45, 0.0, 1.0, 0.25);
        INDArray g = row(1, -1, -1, 1, 0);
        INDArray out = Nd4j.create(DataType.DOUBLE, new long[] {1, 5}, 'c');
        Elementwise.projectedSignStep(x, y, g, 0.05, 0.1, ClipRange.PIXELS, out);
        assertArrayEquals(new double[] {0.6, 0.4, 0.0, 1.0, 0.25}, out.toDoubleVector(), 1e-15);
    }

    @Test
    void oneFullStepWithoutRandomStartIsFgsm() {
        Network net = AttackFixtures.smallTrained();
        ProbeBatch batch = ProbeBatch.split(AttackFixtures.probes(100), 100, DataType.FLOAT).get(0);
        Attacker attacker = new Attacker(net.frozenCopy(), ClipRange.PIXELS, 1);
        for (int l = 1; l <= net.depth(); l++) {
            INDArray fgsm = Nd4j.create(DataType.FLOAT, new long[] {100, 784}, 'c');
            INDArray pgd = Nd4j.create(DataType.FLOAT, new long[] {100, 784}, 'c');
            attacker.perturb(batch, new Fgsm(0.1), l, fgsm);
            attacker.perturb(batch, new Pgd(0.1, 0.1, 1, false, LabelTarget.LABEL), l, pgd);
            double worst = Transforms.abs(fgsm.sub(pgd)).maxNumber().doubleValue();
            assertTrue(worst <= Math.ulp(1f), "layer " + l + ": PGD's one step differs from FGSM by " + worst);
            assertTrue(Transforms.abs(fgsm.sub(batch.x())).maxNumber().doubleValue() > 0.099, "layer " + l + ": FGSM did not move");
        }
    }

    @Test
    void randomStartIsUniformInTheBall() {
        // u ~ U(-1, 1): mean 0, variance 1/3; unclipped (x = 0.5), x_0 - x = eps u.
        INDArray u = Nd4j.create(DataType.DOUBLE, new long[] {500, 784}, 'c');
        Pgd.drawStart(4, 2, 0, u);
        double n = u.length();
        assertEquals(0.0, u.meanNumber().doubleValue(), 5 * Math.sqrt(1.0 / 3 / n));
        assertEquals(1.0 / 3, u.mul(u).meanNumber().doubleValue(), 0.005);
        assertTrue(u.maxNumber().doubleValue() < 1 && u.minNumber().doubleValue() >= -1);
        assertTrue(u.maxNumber().doubleValue() > 0.999 && u.minNumber().doubleValue() < -0.999);

        INDArray x = Nd4j.valueArrayOf(new long[] {500, 784}, 0.5, DataType.DOUBLE);
        INDArray x0 = Nd4j.create(DataType.DOUBLE, new long[] {500, 784}, 'c');
        Elementwise.addScaledClipped(x, u, 0.2, ClipRange.PIXELS, x0);
        assertEquals(x.add(u.mul(0.2)), x0);
    }

    @Test
    void randomStartDependsOnLayerAndSampleNotOnBatching() {
        INDArray all = Nd4j.create(DataType.FLOAT, new long[] {10, 784}, 'c');
        INDArray tail = Nd4j.create(DataType.FLOAT, new long[] {4, 784}, 'c');
        Pgd.drawStart(9, 3, 0, all);
        Pgd.drawStart(9, 3, 6, tail);
        assertEquals(all.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(6, 10)), tail);
        INDArray otherLayer = Nd4j.create(DataType.FLOAT, new long[] {10, 784}, 'c');
        Pgd.drawStart(9, 4, 0, otherLayer);
        assertNotEquals(all, otherLayer);
    }

    @Test
    void everyIterateStaysInTheBallAndTheClipRange() {
        Network net = AttackFixtures.smallTrained();
        ProbeBatch batch = ProbeBatch.split(AttackFixtures.probes(100), 100, DataType.FLOAT).get(0);
        Attacker attacker = new Attacker(net.frozenCopy(), ClipRange.PIXELS, 2);
        INDArray out = Nd4j.create(DataType.FLOAT, new long[] {100, 784}, 'c');
        for (int steps = 0; steps <= 4; steps++) {
            for (boolean randomStart : new boolean[] {true, false}) {
                Pgd pgd = new Pgd(0.1, 0.04, steps, randomStart, LabelTarget.LABEL);
                attacker.perturb(batch, pgd, net.depth(), out);
                AttackInvariantsTest.assertInRangeAndBall(batch.x(), out, ClipRange.PIXELS, 0.1, pgd.describe());
            }
        }
    }

    @Test
    void moreStepsRaiseTheLossOfTheAttackedLayer() {
        Network net = AttackFixtures.smallTrained();
        ProbeBatch batch = ProbeBatch.split(AttackFixtures.probes(200), 200, DataType.FLOAT).get(0);
        Attacker attacker = new Attacker(net.frozenCopy(), ClipRange.PIXELS, 2);
        InputGradient loss = new InputGradient(net.frozenCopy());
        INDArray out = Nd4j.create(DataType.FLOAT, new long[] {200, 784}, 'c');
        for (int l = 1; l <= net.depth(); l++) {
            double previous = meanLoss(loss, batch.x(), l, batch.labels());
            for (int steps : new int[] {1, 5, 20}) {
                attacker.perturb(batch, new Pgd(0.1, 0.025, steps, false, LabelTarget.LABEL), l, out);
                double now = meanLoss(loss, out, l, batch.labels());
                assertTrue(now > previous, "layer " + l + ", " + steps + " steps: loss " + now + " after " + previous);
                previous = now;
            }
        }
    }

    /**
     * Restarts: with one restart the records equal the single run's; with three, every sample
     * fooled by the single run is still fooled (restart 1 is that run), each kept x' is one
     * restart's own result, and robust accuracy can only fall.
     */
    @Test
    void restartsKeepTheFirstRunAndAddOnlyFooledSamples() {
        Network net = AttackFixtures.smallTrained();
        Dataset probes = AttackFixtures.probes(300);
        Pgd one = new Pgd(0.05, 0.0125, 4, true, LabelTarget.LABEL);
        Pgd three = new Pgd(0.05, 0.0125, 4, true, LabelTarget.LABEL, 3);
        int[] all = {1, 2, 3};
        RobustnessEvaluation.Result single = RobustnessEvaluation.run(net, probes, List.of(one), all, ClipRange.PIXELS, 100, 5);
        RobustnessEvaluation.Result same = RobustnessEvaluation.run(net, probes, List.of(new Pgd(0.05, 0.0125, 4, true, LabelTarget.LABEL, 1)),
                all, ClipRange.PIXELS, 100, 5);
        assertEquals(single.records(), same.records());
        RobustnessEvaluation.Result restarted = RobustnessEvaluation.run(net, probes, List.of(three), all, ClipRange.PIXELS, 100, 5);
        boolean lower = false;
        for (int l : all) {
            double a = single.record(one, l).robustAccuracy();
            double b = restarted.record(three, l).robustAccuracy();
            assertTrue(b <= a, "layer " + l + ": " + b + " > " + a);
            lower |= b < a;
        }
        assertTrue(lower, "three restarts fooled no additional sample at any layer: the test proves little");

        // sample by sample on one batch: each row of x' is restart 0's, or a later restart's that fools the readout
        ProbeBatch batch = ProbeBatch.split(probes, 100, DataType.FLOAT).get(0);
        Attacker attacker = new Attacker(net.frozenCopy(), ClipRange.PIXELS, 5);
        INDArray out = Nd4j.create(DataType.FLOAT, new long[] {100, 784}, 'c');
        attacker.perturb(batch, three, 2, out);
        InputGradient g = new InputGradient(net.frozenCopy());
        INDArray[] runs = new INDArray[3];
        for (int r = 0; r < 3; r++) {
            INDArray u = Nd4j.create(DataType.FLOAT, new long[] {100, 784}, 'c');
            Pgd.drawStart(5, r, 2, batch.first(), u);
            runs[r] = Nd4j.create(DataType.FLOAT, new long[] {100, 784}, 'c');
            one.perturb(g, 2, batch.x(), batch.labels(), u, ClipRange.PIXELS, Nd4j.create(DataType.FLOAT, new long[] {100, 784}, 'c'), runs[r]);
        }
        int[][] predicted = new int[3][100];
        for (int r = 0; r < 3; r++) {
            g.forward(runs[r], 2);
            g.predictions(2, predicted[r]);
        }
        for (int row = 0; row < 100; row++) {
            int expected = 0;
            for (int r = 0; r < 3; r++) {
                if (predicted[r][row] != batch.labels()[row]) {
                    expected = r;
                    break;
                }
            }
            assertEquals(runs[expected].getRow(row), out.getRow(row), "row " + row + " should be restart " + (expected + 1) + "'s");
        }
    }

    private static double meanLoss(InputGradient g, INDArray x, int layer, int[] labels) {
        g.forward(x, layer);
        return g.network().layer(layer).readoutLoss(labels, false).lossSum() / labels.length;
    }
}
