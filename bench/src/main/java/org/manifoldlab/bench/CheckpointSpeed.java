package org.manifoldlab.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.manifoldlab.actors.run.Checkpoint;
import org.manifoldlab.actors.run.CheckpointStore;
import org.manifoldlab.core.nn.Activation;
import org.manifoldlab.core.nn.DenseLayer;
import org.manifoldlab.core.nn.LocalLayer;
import org.manifoldlab.core.nn.LocalReadout;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Writing and reading back one epoch's checkpoint of a 784-5xWIDTH local network with Adam's
 * moments (the default network at width 1,000: 58 MB), as a trainer's supervisor does after every
 * epoch: MB/s including the SHA-256, the temporary file and the rename.
 * {@code bench/run CheckpointSpeed [width]}.
 */
public final class CheckpointSpeed {

    public static void main(String[] args) throws Exception {
        int width = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        List<LocalLayer> layers = new ArrayList<>();
        List<List<INDArray>> state = new ArrayList<>();
        List<long[]> steps = new ArrayList<>();
        long floats = 0;
        for (int l = 1; l <= 5; l++) {
            int in = l == 1 ? 784 : width;
            INDArray w = Nd4j.rand(DataType.FLOAT, in, width);
            INDArray b = Nd4j.rand(DataType.FLOAT, 1, width);
            INDArray readout = Nd4j.rand(DataType.FLOAT, width, 10);
            layers.add(new LocalLayer(l, new DenseLayer(in, width, Activation.RELU, w, b), new LocalReadout(readout), null));
            state.add(List.of(Nd4j.rand(DataType.FLOAT, in, width), Nd4j.rand(DataType.FLOAT, in, width),
                    Nd4j.rand(DataType.FLOAT, 1, width), Nd4j.rand(DataType.FLOAT, 1, width)));
            steps.add(new long[] {125, 125});
            floats += 3L * in * width + 3L * width + 10L * width;
        }
        Checkpoint c = new Checkpoint(1, 125, layers, state, steps, Map.of("train.csv", 1L), 0);
        double mb = 4.0 * floats / 1e6;
        Path dir = Files.createTempDirectory("bench-checkpoint");
        try {
            CheckpointStore store = new CheckpointStore(dir, 1);
            Harness.header();
            Harness.Figure write = Harness.measure(String.format("checkpoint write, 784-5x%d with Adam's moments (%.0f MB)", width, mb),
                    "MB/s", 1, 5, () -> {
                        long t0 = System.nanoTime();
                        try {
                            store.write(c, "bench", "bench");
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        return mb / ((System.nanoTime() - t0) / 1e9);
                    });
            Harness.Figure read = Harness.measure("checkpoint read and verify, the same", "MB/s", 1, 5, () -> {
                long t0 = System.nanoTime();
                try {
                    Checkpoint back = store.read(store.entries().get(0), Activation.RELU);
                    if (!back.layers().get(4).dense().w().equals(layers.get(4).dense().w())) {
                        throw new IllegalStateException("the checkpoint read back differs from the one written");
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return mb / ((System.nanoTime() - t0) / 1e9);
            });
            System.out.printf("one epoch's checkpoint: write %.2f s, read %.2f s (medians)%n", mb / write.median(), mb / read.median());
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
