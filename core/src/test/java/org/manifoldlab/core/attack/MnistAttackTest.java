package org.manifoldlab.core.attack;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.Activation;
import org.manifoldlab.core.nn.Adam;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.nn.PlainTrainer;
import org.manifoldlab.core.nn.TrainingMode;
import org.nd4j.linalg.api.buffer.DataType;

/** Real data: a 784-1000-1000 network trained 2 epochs with local errors on MNIST-10k, attacked on 2,000 test digits. */
class MnistAttackTest {

    @Test
    void fgsmHurtsFarMoreThanNoiseAndPgdAtLeastAsMuchAsFgsm() {
        Dataset.Split data = AttackFixtures.mnist();
        Network.Shape shape = new Network.Shape(784, new int[] {1000, 1000}, 10, Activation.RELU, 1.0);
        Network net = Network.create(shape, new Adam(1e-3), DataType.FLOAT, 1);
        PlainTrainer trainer = new PlainTrainer(net, TrainingMode.LOCAL, 64, 2, 1);
        for (int epoch = 1; epoch <= 2; epoch++) {
            trainer.trainEpoch(data.train(), epoch);
        }
        Dataset probes = data.test().sample(1, 2000);
        Attack noise = new GaussianNoise(0.1);
        Attack fgsm = new Fgsm(0.1);
        Attack pgd = Pgd.standard(0.1, 10);
        long t0 = System.nanoTime();
        RobustnessEvaluation.Result result = RobustnessEvaluation.run(net, probes, List.of(noise, fgsm, pgd), 1);
        System.out.printf("MNIST-10k local 784-1000-1000, 2 epochs, %d probes, attacked in %.1f s%n", probes.size(),
                (System.nanoTime() - t0) / 1e9);
        for (int l = 1; l <= net.depth(); l++) {
            System.out.printf("  layer %d: clean %.4f  gaussian 0.1 %.4f  fgsm 0.1 %.4f  pgd 0.1 (10 steps) %.4f%n", l, result.clean(l),
                    result.record(noise, l).accuracy(), result.record(fgsm, l).robustAccuracy(), result.record(pgd, l).robustAccuracy());
        }
        double clean = result.clean(1);
        double noiseDrop = clean - result.record(noise, 1).accuracy();
        double fgsmDrop = clean - result.record(fgsm, 1).robustAccuracy();
        assertTrue(clean > 0.9, "layer 1 clean accuracy " + clean);
        assertTrue(fgsmDrop > 0.3 && fgsmDrop > 10 * Math.max(noiseDrop, 0.005),
                "layer 1: FGSM 0.1 lowers accuracy by " + fgsmDrop + ", Gaussian 0.1 by " + noiseDrop);
        for (int l = 1; l <= net.depth(); l++) {
            double p = result.record(pgd, l).robustAccuracy();
            double f = result.record(fgsm, l).robustAccuracy();
            assertTrue(p <= f + 0.01, "layer " + l + ": PGD leaves " + p + ", FGSM " + f);
        }
    }
}
