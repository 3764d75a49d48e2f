package org.manifoldlab.actors.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.BehaviorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.junit.jupiter.api.Test;
import org.manifoldlab.core.attack.Attack;
import org.manifoldlab.core.attack.Attacker;
import org.manifoldlab.core.attack.ClipRange;
import org.manifoldlab.core.attack.Fgsm;
import org.manifoldlab.core.attack.GaussianNoise;
import org.manifoldlab.core.attack.Pgd;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.Activation;
import org.manifoldlab.core.nn.Network;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * An attacker actor runs a job one step a message, each step followed by a message to itself,
 * so it never holds a compute thread for a whole job; driven message by message, no clock.
 */
class AttackWorkerTest {

    @Test
    void aJobRunsOneStepAMessageAndEndsWithItsCount() throws Exception {
        Network net = Network.create(new Network.Shape(784, new int[] {32, 16}, 10, Activation.RELU, 1.0), null, DataType.FLOAT, 3);
        Dataset probe = DataSources.load("mnist-10k", 1, 0.2).test().sample(1, 300);
        ClipRange clip = ClipRange.of(probe);
        List<Attack> attacks = List.of(new GaussianNoise(0, true), new GaussianNoise(0.3, true), new Fgsm(0.1),
                Pgd.standard(0.1, 2));
        BehaviorTestKit<AttackWorker.Command> worker = BehaviorTestKit.create(AttackWorker.create(net.frozenCopy(), probe, clip, 5, attacks, 0));
        TestInbox<AttackEvaluatorActor.Command> evaluator = TestInbox.create();
        TestInbox<AttackWorker.JobDone> done = TestInbox.create();

        worker.run(new AttackWorker.Perturb(0, evaluator.getRef(), done.getRef()));
        assertFalse(evaluator.hasMessages(), "the job only starts on the message it sends itself");
        // noise (both sigmas), FGSM at layer 1, at layer 2, PGD at layer 1, at layer 2
        int[] perStep = {2, 1, 1, 1, 1};
        int[] layers = {Attacker.ALL_LAYERS, 1, 2, 1, 2};
        for (int step = 0; step < perStep.length; step++) {
            assertTrue(worker.selfInbox().hasMessages(), "step " + step + " is asked for");
            assertFalse(done.hasMessages(), "no end before step " + step);
            worker.runOne();
            List<AttackEvaluatorActor.Command> sent = evaluator.getAllReceived();
            assertEquals(perStep[step], sent.size(), "batches sent by step " + step);
            for (AttackEvaluatorActor.Command c : sent) {
                assertEquals(layers[step], ((AttackEvaluatorActor.Tally) c).layer(), "step " + step);
            }
        }
        assertEquals(new AttackWorker.JobDone(0, 6), done.receiveMessage());
        assertFalse(worker.selfInbox().hasMessages(), "nothing left to do after the end");

        // mid-job a worker takes no other batch (the round offers batches only to idle workers)
        BehaviorTestKit<AttackWorker.Command> busy = BehaviorTestKit.create(AttackWorker.create(net.frozenCopy(), probe, clip, 5, attacks, 0));
        busy.run(new AttackWorker.Perturb(0, evaluator.getRef(), done.getRef()));
        busy.runOne();
        assertThrows(IllegalStateException.class, () -> busy.run(new AttackWorker.Perturb(0, evaluator.getRef(), done.getRef())));
    }
}
