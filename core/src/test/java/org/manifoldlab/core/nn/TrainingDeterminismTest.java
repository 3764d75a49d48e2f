package org.manifoldlab.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.data.Dataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class TrainingDeterminismTest {

    private static Dataset train;

    @BeforeAll
    static void load() throws IOException {
        Dataset full = DataSources.load("mnist-10k", 1, 0.2).train();
        train = full.sample(1, 1000);
    }

    private static String trainedFingerprint(long seed, TrainingMode mode) {
        Network.Shape shape = new Network.Shape(784, new int[] {64, 48, 32}, 10, Activation.RELU, 1.0);
        Network net = Network.create(shape, new Adam(1e-3), DataType.FLOAT, seed, mode);
        PlainTrainer trainer = new PlainTrainer(net, mode, 50, 3, seed);
        for (int epoch = 1; epoch <= 3; epoch++) {
            trainer.trainEpoch(train, epoch);
        }
        return net.fingerprint();
    }

    @Test
    void sameSeedGivesSameFingerprintInEveryMode() {
        for (TrainingMode mode : TrainingMode.values()) {
            assertEquals(trainedFingerprint(5, mode), trainedFingerprint(5, mode), mode.toString());
        }
    }

    @Test
    void differentSeedGivesDifferentFingerprint() {
        assertNotEquals(trainedFingerprint(5, TrainingMode.LOCAL), trainedFingerprint(6, TrainingMode.LOCAL));
    }

    @Test
    void trainingChangesTheFingerprint() {
        Network.Shape shape = new Network.Shape(784, new int[] {64, 48, 32}, 10, Activation.RELU, 1.0);
        String untrained = Network.create(shape, new Adam(1e-3), DataType.FLOAT, 5).fingerprint();
        assertNotEquals(untrained, trainedFingerprint(5, TrainingMode.LOCAL));
    }

    @Test
    void layerwisePhasesCoverEveryLayerInOrder() {
        int[] active = new int[10];
        for (int e = 1; e <= 10; e++) {
            active[e - 1] = TrainingMode.layerwiseActiveLayer(e, 10, 5);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {1, 1, 2, 2, 3, 3, 4, 4, 5, 5}, active);
    }
}
