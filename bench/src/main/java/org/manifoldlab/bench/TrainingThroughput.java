package org.manifoldlab.bench;

import java.io.IOException;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.Activation;
import org.manifoldlab.core.nn.Adam;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.nn.PlainTrainer;
import org.manifoldlab.core.nn.TrainingMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training throughput of core's plain loop, 784-5x1000 ReLU, local errors, Adam, on MNIST-10k's
 * 8,000 training digits, against the gemm ceiling of this machine.
 * Run: {@code ./bench/run TrainingThroughput [batch ...]}.
 */
public final class TrainingThroughput {

    private static final int[] WIDTHS = {1000, 1000, 1000, 1000, 1000};

    public static void main(String[] args) throws IOException {
        int[] batches = args.length == 0 ? new int[] {64, 256} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        Dataset train = DataSources.load("mnist-10k", 1, 0.2).train();
        Harness.header();
        double ceiling = gemmCeiling();
        for (int batch : batches) {
            double flopsPerSample = flopsPerSample(784, WIDTHS, 10);
            Harness.Figure f = plainLoop(train, batch, TrainingMode.LOCAL);
            System.out.printf("  -> %.1f GFLOP/s, %.0f%% of the gemm ceiling (%.1f MFLOP a sample)%n",
                    f.median() * flopsPerSample / 1e9, 100 * f.median() * flopsPerSample / 1e9 / ceiling, flopsPerSample / 1e6);
        }
    }

    /** Samples per second of one epoch of the plain loop, median of 3 after a warm-up epoch. */
    public static Harness.Figure plainLoop(Dataset train, int batch, TrainingMode mode) {
        Network net = Network.create(new Network.Shape(784, WIDTHS, 10, Activation.RELU, 1.0), new Adam(1e-3), DataType.FLOAT, 1);
        PlainTrainer trainer = new PlainTrainer(net, mode, batch, 100, 1);
        int[] epoch = {0};
        return Harness.measure("plain loop, 784-5x1000, " + mode.name().toLowerCase() + ", batch " + batch, "samples/s", 1, 3, () -> {
            long t0 = System.nanoTime();
            trainer.trainEpoch(train, ++epoch[0]);
            return train.size() / ((System.nanoTime() - t0) / 1e9);
        });
    }

    /** Forward, local readout and backward (dW and readout) gemms of the local step. */
    public static double flopsPerSample(int inputs, int[] widths, int classes) {
        double flops = 0;
        int in = inputs;
        for (int w : widths) {
            flops += 2.0 * in * w * 2 + 2.0 * w * classes * 2;  // x W and x^T dz; h B and dlogits B^T
            in = w;
        }
        return flops;
    }

    /**
     * GFLOP/s of the layers' gemm (core.Gemm) 256x784 by 784x1000 into a preallocated float C on two cores (the best
     * of 9 loops after 20 warm-ups), the faster of the two ways to use them: one gemm with 2 BLAS
     * threads, or two single-threaded gemms at once, as the pipeline's actors run them. The first
     * alone was the ceiling before; on some hours it ran at 180 GFLOP/s where it had run at 290-330,
     * and a pipeline then showed 112% of "the ceiling". The best loop rather than the median: a
     * ceiling is what the machine showed it can do, and on a noisy host the median of the same 9
     * loops read 97 GFLOP/s where their best read 116 (and GemmSpeed's two gemms at once 140),
     * which made a pipeline look closer to the ceiling than it was.
     */
    public static double gemmCeiling() {
        return Math.max(GemmSpeed.gflops(256, 784, 1000, 20, 9).max(), GemmSpeed.concurrentGflops(256, 784, 1000, 20, 9).max());
    }
}
