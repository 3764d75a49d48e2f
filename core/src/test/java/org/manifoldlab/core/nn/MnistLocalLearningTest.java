package org.manifoldlab.core.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.data.Dataset;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Real data: the embedded MNIST-10k, 8,000 train / 2,000 test. */
class MnistLocalLearningTest {

    @Test
    void localErrorsReachNinetyPercentAtLayerOneInTwoEpochs() throws IOException {
        Dataset.Split data = DataSources.load("mnist-10k", 1, 0.2);
        Network.Shape shape = new Network.Shape(784, new int[] {1000, 1000, 1000}, 10, Activation.RELU, 1.0);
        Network net = Network.create(shape, new Adam(1e-3), DataType.FLOAT, 1);
        PlainTrainer trainer = new PlainTrainer(net, TrainingMode.LOCAL, 64, 2, 1);
        for (int epoch = 1; epoch <= 2; epoch++) {
            trainer.trainEpoch(data.train(), epoch);
        }
        EpochMetrics test = PlainTrainer.evaluate(net, data.test(), 500, 2, "test");
        System.out.println("MNIST-10k local, 2 epochs, test accuracy per layer: " + test.layers());
        assertTrue(test.layer(1).accuracy() >= 0.90, "layer 1 test accuracy " + test.layer(1).accuracy());
    }
}
