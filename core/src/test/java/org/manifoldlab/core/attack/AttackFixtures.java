package org.manifoldlab.core.attack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.Activation;
import org.manifoldlab.core.nn.Adam;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.nn.PlainTrainer;
import org.manifoldlab.core.nn.TrainingMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A small network trained briefly on real digits, and probes, shared by the attack tests (built once). */
final class AttackFixtures {

    private static Dataset.Split data;
    private static Network small;

    private AttackFixtures() {
    }

    static synchronized Dataset.Split mnist() {
        if (data == null) {
            try {
                data = DataSources.load("mnist-10k", 1, 0.2);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return data;
    }

    /** 784-64-32-16 ReLU, local errors, 2 epochs on 2,000 digits: fast, and accurate enough to attack. */
    static synchronized Network smallTrained() {
        if (small == null) {
            Network.Shape shape = new Network.Shape(784, new int[] {64, 32, 16}, 10, Activation.RELU, 1.0);
            small = Network.create(shape, new Adam(1e-3), DataType.FLOAT, 3);
            PlainTrainer trainer = new PlainTrainer(small, TrainingMode.LOCAL, 32, 2, 3);
            Dataset train = mnist().train().sample(3, 2000);
            for (int epoch = 1; epoch <= 2; epoch++) {
                trainer.trainEpoch(train, epoch);
            }
        }
        return small;
    }

    /** n test digits (a seeded sample). */
    static Dataset probes(int n) {
        return mnist().test().sample(7, n);
    }

    /** One emitted batch, copied out of the attacker's buffer. */
    record Emitted(Attack attack, int layer, INDArray x) {
    }

    /** Everything perturbAll emits for a batch, copied. */
    static List<Emitted> emitted(Attacker attacker, ProbeBatch batch, List<? extends Attack> attacks, int[] layers) {
        List<Emitted> out = new ArrayList<>();
        attacker.perturbAll(batch, attacks, layers, (attack, layer, x) -> out.add(new Emitted(attack, layer, x.dup('c'))));
        return out;
    }
}
