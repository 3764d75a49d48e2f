package org.manifoldlab.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
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
 *
 * <p>The configurations take turns, one epoch each per round, and each round's epoch is divided
 * by the default's epoch of the same round: on a machine others share, load that changes between
 * rounds then moves numerator and denominator alike. Printed: per configuration the median
 * samples/s and the median, min and max over rounds of its ratio to the default.
 * Run: {@code ./bench/run LocalRulesBenchmark [width depth everySteps rounds]} (default 500 3 5 5).
 */
public final class LocalRulesBenchmark {

    private record Config(String name, LearningRules rules) {
    }

    public static void main(String[] args) throws IOException {
        int width = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int depth = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int everySteps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        Kernels.singleThreaded();
        Dataset train = DataSources.load("mnist-10k", 1, 0.2).train();
        int[] widths = new int[depth];
        Arrays.fill(widths, width);
        List<Config> configs = new ArrayList<>();
        for (LocalLoss loss : LocalLoss.values()) {
            configs.add(new Config(loss.name().toLowerCase().replace('_', '-'), new LearningRules(loss, 0.99, null)));
        }
        SpectralPenalty.Settings penalty = new SpectralPenalty.Settings(List.of(1, 2), 2.0, 0.03, everySteps, Math.max(width, 500), 10, 0);
        configs.add(new Config("fixed-readout + penalty on layers 1, 2 every " + everySteps + " steps, batch " + penalty.batch(),
                new LearningRules(LocalLoss.FIXED_READOUT, 0.99, penalty)));
        List<PlainTrainer> trainers = new ArrayList<>();
        for (Config c : configs) {
            Network net = Network.create(new Network.Shape(784, widths, 10, Activation.RELU, 1.0), new Adam(1e-3), DataType.FLOAT, 1,
                    TrainingMode.LOCAL, c.rules());
            trainers.add(new PlainTrainer(net, TrainingMode.LOCAL, 64, 100, 1));
        }
        double[][] rate = new double[configs.size()][rounds];
        for (int round = 0; round <= rounds; round++) {  // round 0 warms up
            for (int k = 0; k < configs.size(); k++) {
                long t0 = System.nanoTime();
                trainers.get(k).trainEpoch(train, round + 1);
                if (round > 0) {
                    rate[k][round - 1] = train.size() / ((System.nanoTime() - t0) / 1e9);
                }
            }
        }
        System.out.printf("784-%dx%d, batch 64, %d rounds (one epoch of 8,000 samples each)%n", depth, width, rounds);
        System.out.printf("%-75s %12s %28s%n", "configuration", "samples/s", "x default: median [min, max]");
        for (int k = 0; k < configs.size(); k++) {
            double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratio[r] = rate[k][r] / rate[0][r];
            }
            System.out.printf("%-75s %12.0f %14.2f [%.2f, %.2f]%n", configs.get(k).name(), median(rate[k]), median(ratio),
                    Arrays.stream(ratio).min().orElseThrow(), Arrays.stream(ratio).max().orElseThrow());
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
