package org.manifoldlab.bench;

import java.io.IOException;
import java.util.List;
import org.manifoldlab.core.Kernels;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.Activation;
import org.manifoldlab.core.nn.Adam;
import org.manifoldlab.core.nn.LearningRules;
import org.manifoldlab.core.nn.LocalLoss;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.nn.PlainTrainer;
import org.manifoldlab.core.nn.TrainingMode;
import org.manifoldlab.core.spectrum.SpectralPenalty;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The cost of each local rule and of the spectral penalty: training samples per second of core's
 * plain loop (one-thread kernels, as inside the actor system), local mode, Adam, batch 64, on
 * MNIST-10k's 8,000 training digits, against the default (fixed-readout, no penalty). The penalty
 * runs on layers 1 and 2 with a batch of max(width, 500) every {@code everySteps} steps.
 * Run: {@code ./bench/run LocalRulesBenchmark [width depth everySteps]} (default 500 3 5).
 */
public final class LocalRulesBenchmark {

    public static void main(String[] args) throws IOException {
        int width = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int depth = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int everySteps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Kernels.singleThreaded();
        Dataset train = DataSources.load("mnist-10k", 1, 0.2).train();
        int[] widths = new int[depth];
        java.util.Arrays.fill(widths, width);
        Harness.header();
        double base = 0;
        for (LocalLoss loss : LocalLoss.values()) {
            Harness.Figure f = epoch(train, widths, new LearningRules(loss, 0.99, null), loss.name().toLowerCase());
            base = loss == LocalLoss.FIXED_READOUT ? f.median() : base;
            System.out.printf("  -> %.2f x the default%n", f.median() / base);
        }
        SpectralPenalty.Settings penalty = new SpectralPenalty.Settings(List.of(1, 2), 2.0, 1.0, everySteps, Math.max(width, 500), 10, 0);
        Harness.Figure f = epoch(train, widths, new LearningRules(LocalLoss.FIXED_READOUT, 0.99, penalty),
                "fixed_readout + spectral penalty on layers 1, 2 every " + everySteps + " steps, batch " + penalty.batch());
        System.out.printf("  -> %.2f x the default%n", f.median() / base);
    }

    /** Samples per second of one epoch, median of 3 after a warm-up epoch. */
    private static Harness.Figure epoch(Dataset train, int[] widths, LearningRules rules, String what) {
        Network net = Network.create(new Network.Shape(784, widths, 10, Activation.RELU, 1.0), new Adam(1e-3), DataType.FLOAT, 1,
                TrainingMode.LOCAL, rules);
        PlainTrainer trainer = new PlainTrainer(net, TrainingMode.LOCAL, 64, 100, 1);
        int[] epoch = {0};
        return Harness.measure("plain loop, 784-" + widths.length + "x" + widths[0] + ", " + what, "samples/s", 1, 3, () -> {
            long t0 = System.nanoTime();
            trainer.trainEpoch(train, ++epoch[0]);
            return train.size() / ((System.nanoTime() - t0) / 1e9);
        });
    }
}
