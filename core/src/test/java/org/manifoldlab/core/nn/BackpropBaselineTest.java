package org.manifoldlab.core.nn;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.data.Dataset;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Backprop is a real baseline: on the embedded MNIST-10k, 2 epochs, its output readout learns
 * and its last layer is at least as accurate as a local-error network's last layer, for each of
 * 3 seeds. The networks are 784-3x256 rather than the study's 5x1000 to keep the six trainings
 * to seconds; the comparison is the same (same data, seeds, optimizer and batch order).
 */
class BackpropBaselineTest {

    private static final int[] WIDTHS = {256, 256, 256};
    private static final int EPOCHS = 2;

    private static Network trained(TrainingMode mode, Dataset train, long seed) {
        Network.Shape shape = new Network.Shape(784, WIDTHS, 10, Activation.RELU, 1.0);
        Network net = Network.create(shape, new Adam(1e-3), DataType.FLOAT, seed, mode);
        PlainTrainer trainer = new PlainTrainer(net, mode, 64, EPOCHS, seed);
        for (int epoch = 1; epoch <= EPOCHS; epoch++) {
            trainer.trainEpoch(train, epoch);
        }
        return net;
    }

    @Test
    void backpropTrainsItsOutputReadoutAndItsLastLayerBeatsLocalErrorsForEachSeed() throws IOException {
        for (long seed = 1; seed <= 3; seed++) {
            Dataset.Split data = DataSources.load("mnist-10k", seed, 0.2);
            Network.Shape shape = new Network.Shape(784, WIDTHS, 10, Activation.RELU, 1.0);
            INDArray initialReadout = Network.create(shape, null, DataType.FLOAT, seed).layer(WIDTHS.length).readout().matrix();
            Network backprop = trained(TrainingMode.BACKPROP, data.train(), seed);
            Network local = trained(TrainingMode.LOCAL, data.train(), seed);
            assertFalse(initialReadout.equals(backprop.layer(WIDTHS.length).readout().matrix()),
                    "seed " + seed + ": backprop's output readout did not change");
            assertTrue(initialReadout.equals(local.layer(WIDTHS.length).readout().matrix()),
                    "seed " + seed + ": local errors keep every readout fixed");
            double bp = PlainTrainer.evaluate(backprop, data.test(), 500, EPOCHS, "test").layer(WIDTHS.length).accuracy();
            double loc = PlainTrainer.evaluate(local, data.test(), 500, EPOCHS, "test").layer(WIDTHS.length).accuracy();
            System.out.printf("MNIST-10k, 784-3x256, %d epochs, seed %d: last-layer test accuracy backprop %.4f, local %.4f%n",
                    EPOCHS, seed, bp, loc);
            assertTrue(bp >= loc, "seed " + seed + ": backprop " + bp + " < local " + loc);
        }
    }
}
