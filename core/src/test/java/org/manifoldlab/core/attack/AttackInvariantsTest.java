package org.manifoldlab.core.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.manifoldlab.core.attack.AttackFixtures.Emitted;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.Network;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What must hold for every attack: zero strength is clean, x' stays in range and ball, same seed same batches. */
class AttackInvariantsTest {

    private static final int[] ALL = {1, 2, 3};

    private static List<Attack> grid() {
        List<Attack> attacks = new ArrayList<>(RobustnessEvaluation.gaussian(0, 0.1, 1.0));
        attacks.addAll(RobustnessEvaluation.fgsm(LabelTarget.LABEL, 0, 0.05, 0.3));
        attacks.addAll(RobustnessEvaluation.fgsm(LabelTarget.PREDICTION, 0, 0.1));
        attacks.add(new Pgd(0, 0.01, 3, true, LabelTarget.LABEL));
        attacks.add(new Pgd(0.1, 0.03, 3, true, LabelTarget.LABEL));
        attacks.add(new Pgd(0.1, 0.03, 3, true, LabelTarget.PREDICTION));
        return attacks;
    }

    /** Every value of x' in the clip range and within eps (plus one float rounding) of x. */
    static void assertInRangeAndBall(INDArray x, INDArray perturbed, ClipRange clip, double eps, String what) {
        double slack = Math.ulp(1f);
        for (long i = 0; i < x.length(); i++) {
            double v = perturbed.getDouble(i);
            assertTrue(clip.contains(v), what + ": value " + v + " outside " + clip);
            assertTrue(Math.abs(v - x.getDouble(i)) <= eps + slack, what + ": moved " + Math.abs(v - x.getDouble(i)));
        }
    }

    @Test
    void zeroStrengthGivesTheCleanAccuracyExactly() {
        Network net = AttackFixtures.smallTrained();
        Dataset probes = AttackFixtures.probes(300);
        RobustnessEvaluation.Result result = RobustnessEvaluation.run(net, probes, grid(), ALL, ClipRange.PIXELS, 128, 1);
        int zeros = 0;
        for (RobustnessRecord r : result.records()) {
            if (r.strength() == 0) {
                zeros++;
                assertEquals(result.clean(r.layer()), r.accuracy(), r.attack().describe() + " layer " + r.layer());
                assertEquals(result.clean(r.layer()), r.robustAccuracy(), r.attack().describe() + " layer " + r.layer());
                assertEquals(0.0, r.linf());
                assertEquals(0.0, r.l2());
            }
            assertEquals(300, r.samples());
        }
        assertEquals(4 * ALL.length, zeros);
        // and the clean accuracy is the one the trainer's own evaluation reports
        var reference = org.manifoldlab.core.nn.PlainTrainer.evaluate(net, probes, 100, 0, "probe");
        for (int l : ALL) {
            assertEquals(reference.layer(l).accuracy(), result.clean(l), 1e-12, "layer " + l);
        }
    }

    /** The evaluator skips the forward of an input identical to the clean one; going forward gives the same counts. */
    @Test
    void zeroStrengthGoesForwardToTheCleanCountsToo() {
        Network net = AttackFixtures.smallTrained();
        List<Attack> zero = List.of(new GaussianNoise(0), new Fgsm(0), new Pgd(0, 0.01, 2, true, LabelTarget.LABEL));
        List<RobustnessRecord> records = new ArrayList<>();
        for (boolean reuse : new boolean[] {true, false}) {
            Attacker attacker = new Attacker(net.frozenCopy(), ClipRange.PIXELS, 1);
            AttackEvaluator evaluator = new AttackEvaluator(net.frozenCopy(), ClipRange.PIXELS, 1);
            evaluator.reuseCleanForUnchangedInput(reuse);
            for (ProbeBatch batch : ProbeBatch.split(AttackFixtures.probes(300), 128, DataType.FLOAT)) {
                attacker.perturbAll(batch, zero, ALL, (a, l, x) -> evaluator.tally(batch, a, l, x));
            }
            for (RobustnessRecord r : evaluator.records()) {
                assertEquals(evaluator.cleanAccuracy(r.layer()), r.accuracy(), "reuse " + reuse + " " + r.attack().describe());
                assertEquals(evaluator.cleanAccuracy(r.layer()), r.robustAccuracy(), "reuse " + reuse + " " + r.attack().describe());
            }
            records.addAll(evaluator.records());
        }
        assertEquals(records.subList(0, records.size() / 2), records.subList(records.size() / 2, records.size()));
    }

    @Test
    void everyPerturbedInputLiesInTheClipRangeAndWithinEps() {
        Network net = AttackFixtures.smallTrained();
        ProbeBatch batch = ProbeBatch.split(AttackFixtures.probes(120), 120, DataType.FLOAT).get(0);
        Attacker attacker = new Attacker(net.frozenCopy(), ClipRange.PIXELS, 1);
        List<Emitted> emitted = AttackFixtures.emitted(attacker, batch, grid(), ALL);
        assertEquals(3 + (5 + 3) * ALL.length, emitted.size());
        for (Emitted e : emitted) {
            double bound = e.attack() instanceof GaussianNoise ? Double.POSITIVE_INFINITY : e.attack().strength();
            assertInRangeAndBall(batch.x(), e.x(), ClipRange.PIXELS, bound, e.attack().describe() + " layer " + e.layer());
        }
        // and a strong attack does move the input: up to eps, and in L2 well beyond a single pixel
        Emitted strong = emitted.stream().filter(e -> e.attack().equals(new Fgsm(0.3)) && e.layer() == 2).findFirst().orElseThrow();
        assertEquals(0.3, org.nd4j.linalg.ops.transforms.Transforms.abs(strong.x().sub(batch.x())).maxNumber().doubleValue(), 1e-6);
    }

    @Test
    void sameSeedGivesTheSameBatchesAndAnotherSeedOtherNoise() {
        Network net = AttackFixtures.smallTrained();
        ProbeBatch batch = ProbeBatch.split(AttackFixtures.probes(80), 80, DataType.FLOAT).get(0);
        List<Emitted> a = AttackFixtures.emitted(new Attacker(net.frozenCopy(), ClipRange.PIXELS, 5), batch, grid(), ALL);
        List<Emitted> b = AttackFixtures.emitted(new Attacker(net.frozenCopy(), ClipRange.PIXELS, 5), batch, grid(), ALL);
        List<Emitted> c = AttackFixtures.emitted(new Attacker(net.frozenCopy(), ClipRange.PIXELS, 6), batch, grid(), ALL);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).attack(), b.get(i).attack());
            assertEquals(a.get(i).layer(), b.get(i).layer());
            assertTrue(Elementwise.identical(a.get(i).x(), b.get(i).x()), a.get(i).attack().describe());
            boolean random = a.get(i).attack().strength() > 0
                    && (a.get(i).attack() instanceof GaussianNoise || a.get(i).attack() instanceof Pgd);
            assertEquals(!random, Elementwise.identical(a.get(i).x(), c.get(i).x()),
                    a.get(i).attack().describe() + ": only noise and random starts depend on the seed");
        }
    }

    @Test
    void perturbingAllAtOnceEqualsPerturbingOneByOne() {
        Network net = AttackFixtures.smallTrained();
        ProbeBatch batch = ProbeBatch.split(AttackFixtures.probes(64), 64, DataType.FLOAT).get(0);
        Attacker attacker = new Attacker(net.frozenCopy(), ClipRange.PIXELS, 7);
        INDArray one = Nd4j.create(DataType.FLOAT, new long[] {64, 784}, 'c');
        for (Emitted e : AttackFixtures.emitted(attacker, batch, grid(), ALL)) {
            attacker.perturb(batch, e.attack(), e.layer() == Attacker.ALL_LAYERS ? 2 : e.layer(), one);
            assertTrue(Elementwise.identical(e.x(), one), e.attack().describe() + " layer " + e.layer());
        }
    }

    @Test
    void aJobRunStepByStepBesideAnotherAttackersEqualsPerturbingAllAtOnce() {
        Network net = AttackFixtures.smallTrained();
        List<ProbeBatch> batches = ProbeBatch.split(AttackFixtures.probes(128), 64, DataType.FLOAT);
        List<List<Emitted>> whole = new ArrayList<>();
        for (ProbeBatch batch : batches) {
            whole.add(AttackFixtures.emitted(new Attacker(net.frozenCopy(), ClipRange.PIXELS, 7), batch, grid(), ALL));
        }
        // two attackers on frozen copies of one network, their steps alternating, an evaluator tallying between them
        Attacker[] attackers = {new Attacker(net.frozenCopy(), ClipRange.PIXELS, 7), new Attacker(net.frozenCopy(), ClipRange.PIXELS, 7)};
        AttackEvaluator evaluator = new AttackEvaluator(net.frozenCopy(), ClipRange.PIXELS, 7);
        List<List<Emitted>> stepped = List.of(new ArrayList<>(), new ArrayList<>());
        Attacker.Job[] jobs = {attackers[0].job(batches.get(0), grid(), ALL), attackers[1].job(batches.get(1), grid(), ALL)};
        // noise in one step, FGSM a layer a step, PGD an attack and layer a step
        assertEquals(1 + ALL.length + 3 * ALL.length, jobs[0].stepsLeft());
        INDArray out = Nd4j.create(DataType.FLOAT, new long[] {64, 784}, 'c');
        assertThrows(IllegalStateException.class, () -> attackers[0].perturb(batches.get(0), grid().get(1), 1, out));
        assertThrows(IllegalStateException.class, () -> attackers[0].job(batches.get(1), grid(), ALL));
        while (!jobs[0].done() || !jobs[1].done()) {
            for (int i = 0; i < 2; i++) {
                ProbeBatch batch = batches.get(i);
                List<Emitted> mine = stepped.get(i);
                if (!jobs[i].done()) {
                    jobs[i].step((attack, layer, x) -> {
                        mine.add(new Emitted(attack, layer, x.dup('c')));
                        evaluator.tally(batch, attack, layer, x);
                    });
                }
            }
        }
        assertThrows(IllegalStateException.class, () -> jobs[0].step((a, l, x) -> { }));
        for (int i = 0; i < 2; i++) {
            assertEquals(whole.get(i).size(), stepped.get(i).size());
            for (int k = 0; k < whole.get(i).size(); k++) {
                Emitted w = whole.get(i).get(k);
                Emitted s = stepped.get(i).get(k);
                assertEquals(w.attack(), s.attack());
                assertEquals(w.layer(), s.layer());
                assertTrue(Elementwise.identical(w.x(), s.x()), "batch " + i + ": " + w.attack().describe() + " layer " + w.layer());
            }
        }
        // the tallies made between the steps are those of one thread's evaluation
        assertEquals(RobustnessEvaluation.run(net, AttackFixtures.probes(128), grid(), ALL, ClipRange.PIXELS, 64, 7).records(),
                evaluator.records());
        // a finished job frees the attacker for the next
        attackers[0].perturb(batches.get(0), grid().get(1), 1, out);
    }

    @Test
    void evaluationOfTheSameSeedIsIdenticalAndSplitTalliesMerge() {
        Network net = AttackFixtures.smallTrained();
        Dataset probes = AttackFixtures.probes(200);
        List<Attack> attacks = grid();
        RobustnessEvaluation.Result first = RobustnessEvaluation.run(net, probes, attacks, ALL, ClipRange.PIXELS, 50, 3);
        RobustnessEvaluation.Result again = RobustnessEvaluation.run(net, probes, attacks, ALL, ClipRange.PIXELS, 50, 3);
        assertEquals(first.records(), again.records());

        // two attacker/evaluator pairs, each with half of the batches, merged: the same records
        List<ProbeBatch> batches = ProbeBatch.split(probes, 50, DataType.FLOAT);
        AttackEvaluator[] evaluators = new AttackEvaluator[2];
        for (int part = 0; part < 2; part++) {
            Attacker attacker = new Attacker(net.frozenCopy(), ClipRange.PIXELS, 3);
            AttackEvaluator evaluator = new AttackEvaluator(net.frozenCopy(), ClipRange.PIXELS, 3);
            for (ProbeBatch batch : batches) {
                if (batch.index() % 2 == part) {
                    attacker.perturbAll(batch, attacks, ALL, (a, l, x) -> evaluator.tally(batch, a, l, x));
                }
            }
            evaluators[part] = evaluator;
        }
        evaluators[1].counts().merge(evaluators[0].counts());
        assertEquals(first.records(), evaluators[1].records());
        RobustnessEvaluation.Result otherSeed = RobustnessEvaluation.run(net, probes, attacks, ALL, ClipRange.PIXELS, 50, 4);
        assertNotEquals(first.records(), otherSeed.records());
    }
}
