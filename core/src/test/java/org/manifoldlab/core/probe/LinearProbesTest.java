package org.manifoldlab.core.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.Activation;
import org.manifoldlab.core.nn.Adam;
import org.manifoldlab.core.nn.EpochMetrics;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.nn.PlainTrainer;
import org.manifoldlab.core.nn.TrainingMode;
import org.nd4j.linalg.api.buffer.DataType;

/** Linear probes on a local-error network trained on the embedded MNIST-10k (784-3x256, 1 epoch, to stay fast). */
class LinearProbesTest {

    @Test
    void aTrainedProbeReachesAtLeastEachLayersFixedReadoutAccuracyAndIsDeterministic() throws IOException {
        Dataset.Split data = DataSources.load("mnist-10k", 1, 0.2);
        Network.Shape shape = new Network.Shape(784, new int[] {256, 256, 256}, 10, Activation.RELU, 1.0);
        Network net = Network.create(shape, new Adam(1e-3), DataType.FLOAT, 1, TrainingMode.LOCAL);
        new PlainTrainer(net, TrainingMode.LOCAL, 64, 1, 1).trainEpoch(data.train(), 1);
        String before = net.fingerprint();
        EpochMetrics fixed = PlainTrainer.evaluate(net, data.test(), 500, 1, "test");
        LinearProbes.Settings settings = new LinearProbes.Settings(3, 64, new Adam(1e-3));
        List<LinearProbes.Result> probes = LinearProbes.train(net, data.train(), data.test(), settings, 1);
        assertEquals(before, net.fingerprint(), "probing leaves the network alone");
        for (LinearProbes.Result p : probes) {
            double readout = fixed.layer(p.layer()).accuracy();
            System.out.printf("layer %d: fixed readout %.4f, linear probe %.4f (train %.4f)%n", p.layer(), readout, p.accuracy(),
                    p.trainAccuracy());
            assertTrue(p.accuracy() >= readout, "layer " + p.layer() + ": probe " + p.accuracy() + " < fixed readout " + readout);
            assertEquals(data.test().size(), p.samples());
        }
        assertEquals(probes, LinearProbes.train(net, data.train(), data.test(), settings, 1), "same seed, same probes");
    }
}
