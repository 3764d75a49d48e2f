package org.manifoldlab.core.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.manifoldlab.core.nn.Network;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The evaluator's counts and norms against ones computed independently, on a known "perturbation". */
class AttackEvaluatorTest {

    private static final int ROWS = 150;

    /** The batch with every row replaced by the next one (cyclically): a perturbation whose outcome we can predict. */
    private static INDArray shifted(INDArray x) {
        INDArray out = Nd4j.create(x.dataType(), x.shape(), 'c');
        for (int r = 0; r < ROWS; r++) {
            out.putRow(r, x.getRow((r + 1) % ROWS));
        }
        return out;
    }

    private static RobustnessRecord record(List<RobustnessRecord> records, Attack attack, int layer) {
        return records.stream().filter(r -> r.attack().equals(attack) && r.layer() == layer).findFirst().orElseThrow();
    }

    @Test
    void plainAccuracyCountsPerturbedAloneRobustCountsBothAndNormsAreMeasured() {
        Network net = AttackFixtures.smallTrained();
        ProbeBatch batch = ProbeBatch.split(AttackFixtures.probes(ROWS), ROWS, DataType.FLOAT).get(0);
        INDArray perturbed = shifted(batch.x());
        InputGradient reference = new InputGradient(net.frozenCopy());
        reference.forward(batch.x(), net.depth());

        AttackEvaluator evaluator = new AttackEvaluator(net.frozenCopy(), ClipRange.PIXELS, 1);
        Attack perLayer = new Fgsm(0.3);
        Attack allLayers = new GaussianNoise(0.3);
        for (int l = 1; l <= net.depth(); l++) {
            evaluator.tally(batch, perLayer, l, perturbed);
        }
        evaluator.tally(batch, allLayers, Attacker.ALL_LAYERS, perturbed);

        double l2Sum = 0;
        double linfMax = 0;
        for (int r = 0; r < ROWS; r++) {
            INDArray d = perturbed.getRow(r).castTo(DataType.DOUBLE).sub(batch.x().getRow(r).castTo(DataType.DOUBLE));
            l2Sum += d.norm2Number().doubleValue();
            linfMax = Math.max(linfMax, d.normmaxNumber().doubleValue());
        }
        List<RobustnessRecord> records = evaluator.records();
        assertEquals(2 * net.depth(), records.size());
        for (int l = 1; l <= net.depth(); l++) {
            int[] predicted = new int[ROWS];
            reference.predictions(l, predicted);
            int cleanRight = 0;
            int shiftedRight = 0;
            int both = 0;
            for (int r = 0; r < ROWS; r++) {
                boolean clean = predicted[r] == batch.labels()[r];
                boolean moved = predicted[(r + 1) % ROWS] == batch.labels()[r];
                cleanRight += clean ? 1 : 0;
                shiftedRight += moved ? 1 : 0;
                both += clean && moved ? 1 : 0;
            }
            assertTrue(both < shiftedRight, "layer " + l + ": no sample is wrong clean and right shifted; the test proves less");
            assertEquals((double) cleanRight / ROWS, evaluator.cleanAccuracy(l), "clean, layer " + l);
            for (Attack attack : List.of(perLayer, allLayers)) {
                RobustnessRecord r = record(records, attack, l);
                assertEquals((double) shiftedRight / ROWS, r.accuracy(), "plain, " + attack.describe() + " layer " + l);
                assertEquals((double) both / ROWS, r.robustAccuracy(), "robust, " + attack.describe() + " layer " + l);
                assertTrue(r.accuracy() > r.robustAccuracy(), "wrong-clean, right-perturbed probes separate the two");
                assertEquals(l2Sum / ROWS, r.l2(), 1e-9);
                assertEquals(linfMax, r.linf(), 1e-12);
                assertEquals(ROWS, r.samples());
            }
        }
    }

    @Test
    void aBatchTalliedTwiceCountsOnceAndConflictingCountsAreRefused() {
        Network net = AttackFixtures.smallTrained();
        ProbeBatch batch = ProbeBatch.split(AttackFixtures.probes(ROWS), ROWS, DataType.FLOAT).get(0);
        AttackEvaluator evaluator = new AttackEvaluator(net.frozenCopy(), ClipRange.PIXELS, 1);
        INDArray perturbed = shifted(batch.x());
        evaluator.tally(batch, new Fgsm(0.2), 2, perturbed);
        List<RobustnessRecord> once = evaluator.records();
        evaluator.tally(batch, new Fgsm(0.2), 2, perturbed);
        assertEquals(once, evaluator.records());
        assertThrows(IllegalStateException.class, () -> evaluator.tally(batch, new Fgsm(0.2), 2, batch.x()));
    }
}
