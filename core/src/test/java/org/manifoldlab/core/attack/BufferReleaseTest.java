package org.manifoldlab.core.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.manifoldlab.core.attack.AttackFixtures.Emitted;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.Network;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The attack actors free their buffers when they stop (the snapshot's weights stay): an
 * attacker or an evaluator that has released them and goes on works in new buffers, bit for bit
 * as before, and the shared weights are untouched.
 */
class BufferReleaseTest {

    private static final int[] LAYERS = {1, 2, 3};

    @Test
    void anAttackerAndAnEvaluatorGoOnBitForBitAfterReleasingTheirBuffers() {
        Network snapshot = AttackFixtures.smallTrained().frozenCopy();
        String weights = snapshot.fingerprint();
        Dataset probes = AttackFixtures.probes(40);
        ProbeBatch batch = ProbeBatch.split(probes, 40, DataType.FLOAT).get(0);
        ClipRange clip = ClipRange.of(probes);
        List<Attack> attacks = List.of(new GaussianNoise(0.3, true), new Fgsm(0.1), Pgd.standard(0.1, 3));

        Attacker attacker = new Attacker(snapshot.frozenCopy(), clip, 9);
        List<Emitted> before = AttackFixtures.emitted(attacker, batch, attacks, LAYERS);
        attacker.release();
        assertEquals(weights, snapshot.fingerprint(), "released buffers, not weights");
        List<Emitted> after = AttackFixtures.emitted(attacker, batch, attacks, LAYERS);
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            assertEquals(before.get(i).x(), after.get(i).x(), before.get(i).attack().describe() + " at layer " + before.get(i).layer());
        }

        AttackEvaluator whole = new AttackEvaluator(snapshot.frozenCopy(), clip, 9);
        before.forEach(e -> whole.tally(batch, e.attack(), e.layer(), e.x()));
        AttackEvaluator released = new AttackEvaluator(snapshot.frozenCopy(), clip, 9);
        int half = before.size() / 2;
        before.subList(0, half).forEach(e -> released.tally(batch, e.attack(), e.layer(), e.x()));
        released.release();
        before.subList(half, before.size()).forEach(e -> released.tally(batch, e.attack(), e.layer(), e.x()));
        assertEquals(whole.records(), released.records());
        assertEquals(weights, snapshot.fingerprint());
    }
}
