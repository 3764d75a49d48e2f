package org.manifoldlab.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FrozenCopyTest {

    private static final Network.Shape SHAPE = new Network.Shape(12, new int[] {8, 6}, 3, Activation.RELU, 1.0);

    /** A snapshot of a network that learns keeps the weights it was taken with. */
    @Test
    void aSnapshotOfALearningNetworkIsIndependentOfItsLaterSteps() {
        Network live = Network.create(SHAPE, new Adam(1e-2), DataType.FLOAT, 3);
        Network snapshot = live.frozenCopy();
        String before = snapshot.fingerprint();
        assertEquals(live.fingerprint(), before);
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 12);
        int[] labels = {0, 1, 2, 0, 1};
        INDArray h = x;
        for (LocalLayer layer : live.layers()) {
            layer.forward(h);
            layer.learnLocally(h, labels);
            h = layer.output();
        }
        assertNotEquals(before, live.fingerprint(), "the live network took a step");
        assertEquals(before, snapshot.fingerprint(), "the snapshot did not move with it");
    }

    /**
     * Copies of a frozen network read its weights (nothing writes them) but have their own
     * activation buffers: a forward through one copy leaves another's outputs as they were.
     */
    @Test
    void copiesOfAFrozenNetworkShareItsWeightsAndNotItsBuffers() {
        Network snapshot = Network.create(SHAPE, new Adam(1e-2), DataType.FLOAT, 4).frozenCopy();
        Network a = snapshot.frozenCopy();
        Network b = snapshot.frozenCopy();
        assertSame(snapshot.layer(1).dense().w(), a.layer(1).dense().w());
        assertSame(snapshot.layer(2).readout().matrix(), b.layer(2).readout().matrix());
        INDArray x1 = Nd4j.rand(DataType.FLOAT, 4, 12);
        INDArray x2 = Nd4j.rand(DataType.FLOAT, 4, 12);
        INDArray outA = a.layer(1).forward(x1);
        INDArray expected = outA.dup();
        INDArray outB = b.layer(1).forward(x2);
        assertNotSame(outA, outB);
        assertEquals(expected, a.layer(1).output());
        assertEquals(snapshot.fingerprint(), a.fingerprint());
    }

    /**
     * A copy that frees its buffers leaves the weights it shares (the snapshot and a sibling copy
     * still compute what they did), and a later forward through it makes new buffers and gives
     * the same bits as before.
     */
    @Test
    void releasingACopysBuffersLeavesTheSharedWeightsAndAForwardAfterGivesTheSameBits() {
        Network snapshot = Network.create(SHAPE, new Adam(1e-2), DataType.FLOAT, 5).frozenCopy();
        String fingerprint = snapshot.fingerprint();
        Network copy = snapshot.frozenCopy();
        Network sibling = snapshot.frozenCopy();
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 12);
        INDArray before = copy.layer(2).forward(copy.layer(1).forward(x)).dup();
        INDArray released = copy.layer(2).output();
        copy.releaseBuffers();
        assertEquals(fingerprint, snapshot.fingerprint());
        assertEquals(fingerprint, copy.fingerprint());
        assertEquals(before, sibling.layer(2).forward(sibling.layer(1).forward(x)));
        INDArray after = copy.layer(2).forward(copy.layer(1).forward(x));
        assertNotSame(released, after, "new buffers");
        assertEquals(before, after);
    }

    /**
     * A copy that only goes forward and reads its readouts (an attack round's evaluator, the
     * activation streamer) makes no dL/dh or scratch buffers; one that goes back (an attacker's
     * input gradient) makes them at its first backward.
     */
    @Test
    void aCopyThatOnlyGoesForwardMakesNoGradientBuffers() {
        Network snapshot = Network.create(SHAPE, new Adam(1e-2), DataType.FLOAT, 6).frozenCopy();
        Network evaluator = snapshot.frozenCopy();
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 12);
        INDArray logits = Nd4j.create(DataType.FLOAT, 6, 3);
        INDArray h = x;
        for (LocalLayer layer : evaluator.layers()) {
            h = layer.forward(h);
            layer.readout().logits(h, logits);
            layer.readoutLoss(new int[] {0, 1, 2, 0, 1, 2}, false);
        }
        for (LocalLayer layer : evaluator.layers()) {
            assertFalse(layer.gradientBuffersMade(), "layer " + layer.index() + " of a forward-only copy");
        }
        Network attacker = snapshot.frozenCopy();
        INDArray out = Nd4j.create(DataType.FLOAT, 6, 12);
        new org.manifoldlab.core.attack.InputGradient(attacker).compute(x, 2, new int[] {0, 1, 2, 0, 1, 2}, out);
        assertTrue(attacker.layer(1).gradientBuffersMade() && attacker.layer(2).gradientBuffersMade(), "a copy that goes back");
    }
}
