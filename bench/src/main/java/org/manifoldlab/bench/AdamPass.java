package org.manifoldlab.bench;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.manifoldlab.core.nn.Adam;
import org.manifoldlab.core.nn.ParameterUpdater;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam's fused pass over the default network's weights (784-5x1000: 4.8 M floats in five
 * matrices), on one core, against the floor its copies set: the same seven 4-byte streams a
 * parameter needs (w, g, m, v in; w, m, v out) as bulk copies between off-heap buffers and a heap
 * chunk, without the arithmetic. {@code bench/run AdamPass}.
 */
public final class AdamPass {

    private static final int[][] SHAPES = {{784, 1000}, {1000, 1000}, {1000, 1000}, {1000, 1000}, {1000, 1000}};

    public static void main(String[] args) {
        List<INDArray> weights = new ArrayList<>();
        List<INDArray> grads = new ArrayList<>();
        List<ParameterUpdater> updaters = new ArrayList<>();
        long parameters = 0;
        for (int[] s : SHAPES) {
            INDArray w = Nd4j.rand(DataType.FLOAT, s[0], s[1]).subi(0.5).muli(0.1);
            weights.add(w);
            grads.add(Nd4j.rand(DataType.FLOAT, s[0], s[1]).subi(0.5).muli(0.01));
            updaters.add(new Adam(0.001).updaterFor(w));
            parameters += w.length();
        }
        double bytes = 28.0 * parameters;
        Harness.header();
        Harness.Figure adam = Harness.measure(String.format("Adam pass, %.1f M float parameters", parameters / 1e6), "ms", 5, 15, () -> {
            long t0 = System.nanoTime();
            for (int i = 0; i < updaters.size(); i++) {
                updaters.get(i).apply(weights.get(i), grads.get(i));
            }
            return (System.nanoTime() - t0) / 1e6;
        });
        float[] chunk = new float[16_384];
        List<INDArray> moments = new ArrayList<>();
        for (INDArray w : weights) {
            moments.add(Nd4j.create(DataType.FLOAT, w.shape(), w.ordering()));
            moments.add(Nd4j.create(DataType.FLOAT, w.shape(), w.ordering()));
        }
        Harness.Figure copies = Harness.measure("the same streams as bulk copies only (4 in, 3 out)", "ms", 5, 15, () -> {
            long t0 = System.nanoTime();
            for (int i = 0; i < weights.size(); i++) {
                FloatBuffer[] in = {weights.get(i).data().asNioFloat(), grads.get(i).data().asNioFloat(),
                        moments.get(2 * i).data().asNioFloat(), moments.get(2 * i + 1).data().asNioFloat()};
                int n = (int) weights.get(i).length();
                for (int from = 0; from < n; from += chunk.length) {
                    int len = Math.min(chunk.length, n - from);
                    for (FloatBuffer b : in) {
                        b.get(from, chunk, 0, len);
                    }
                    for (int k = 0; k < 4; k++) {
                        if (k != 1) {
                            in[k].put(from, chunk, 0, len);
                        }
                    }
                }
            }
            return (System.nanoTime() - t0) / 1e6;
        });
        System.out.printf("Adam %.1f GB/s of parameter state (28 bytes a parameter), %.2fx its copies' time%n",
                bytes / adam.median() / 1e6, adam.median() / copies.median());
    }
}
