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
 * chunk, without the arithmetic. Also Adam with its two moments in one buffer, block by block (a
 * chunk of m, then the same chunk of v), so that a parameter's state is three streams in and two
 * out instead of four and three, with the same bytes: checked bit for bit against Adam, then
 * timed in interleaved rounds. {@code bench/run AdamPass}.
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
        interleaved(weights, grads);
    }

    /** The same steps with the moments in one buffer: bits compared with Adam's, then both timed, alternating. */
    private static void interleaved(List<INDArray> weights, List<INDArray> grads) {
        List<INDArray> w1 = new ArrayList<>();
        List<INDArray> w2 = new ArrayList<>();
        List<ParameterUpdater> separate = new ArrayList<>();
        List<Interleaved> together = new ArrayList<>();
        for (INDArray w : weights) {
            w1.add(w.dup());
            w2.add(w.dup());
            separate.add(new Adam(0.001).updaterFor(w1.get(w1.size() - 1)));
            together.add(new Interleaved((int) w.length()));
        }
        for (int step = 0; step < 3; step++) {
            for (int i = 0; i < weights.size(); i++) {
                separate.get(i).apply(w1.get(i), grads.get(i));
                together.get(i).apply(w2.get(i), grads.get(i));
            }
        }
        for (int i = 0; i < weights.size(); i++) {
            if (!java.util.Arrays.equals(w1.get(i).data().asFloat(), w2.get(i).data().asFloat())) {
                throw new IllegalStateException("interleaved moments changed the bits of layer " + (i + 1));
            }
        }
        System.out.println("interleaved moments: the same bits as Adam after 3 steps of every layer");
        int rounds = 15;
        double[] a = new double[rounds];
        double[] b = new double[rounds];
        for (int r = -3; r < rounds; r++) {
            // Odd rounds run the one-buffer pass first: the second pass of a round may find the gradients in cache.
            boolean separateFirst = (r & 1) == 0;
            double first = timed(separateFirst ? () -> applyAll(separate, w1, grads) : () -> applyAllInterleaved(together, w2, grads));
            double second = timed(separateFirst ? () -> applyAllInterleaved(together, w2, grads) : () -> applyAll(separate, w1, grads));
            if (r >= 0) {
                a[r] = separateFirst ? first : second;
                b[r] = separateFirst ? second : first;
            }
        }
        Harness.Figure fa = Harness.figure("Adam, moments in two buffers (alternating rounds)", "ms", a);
        Harness.Figure fb = Harness.figure("Adam, moments in one buffer, chunk by chunk (alternating rounds)", "ms", b);
        System.out.printf("one buffer / two buffers: %.3f (medians)%n", fb.median() / fa.median());
    }

    private static double timed(Runnable pass) {
        long t0 = System.nanoTime();
        pass.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static void applyAll(List<ParameterUpdater> updaters, List<INDArray> weights, List<INDArray> grads) {
        for (int i = 0; i < weights.size(); i++) {
            updaters.get(i).apply(weights.get(i), grads.get(i));
        }
    }

    private static void applyAllInterleaved(List<Interleaved> passes, List<INDArray> weights, List<INDArray> grads) {
        for (int i = 0; i < weights.size(); i++) {
            passes.get(i).apply(weights.get(i), grads.get(i));
        }
    }

    /** Adam's pass (its own arithmetic) with m and v in one off-heap buffer: per chunk of CHUNK floats, m's chunk then v's. */
    private static final class Interleaved {
        private static final int CHUNK = 16_384;
        private static final Adam RULE = new Adam(0.001);
        private final int n;
        private final INDArray moments;  // held, so that its native memory lives as long as the view below
        private final FloatBuffer mv;
        private final float[] cw = new float[CHUNK];
        private final float[] cg = new float[CHUNK];
        private final float[] cm = new float[CHUNK];  // two heap arrays: the JIT vectorises no loop over one array at two offsets
        private final float[] cv = new float[CHUNK];
        private long t;

        Interleaved(int n) {
            this.n = n;
            moments = Nd4j.create(DataType.FLOAT, 2L * n);
            mv = moments.data().asNioFloat();
        }

        void apply(INDArray param, INDArray grad) {
            if (param.length() != n || grad.length() != n) {
                throw new IllegalArgumentException("a pass over " + n + " parameters got " + param.length() + " and " + grad.length());
            }
            FloatBuffer w = param.data().asNioFloat();
            FloatBuffer g = grad.data().asNioFloat();
            float stepSize = (float) RULE.stepSize(++t);
            for (int from = 0; from < n; from += CHUNK) {
                int len = Math.min(CHUNK, n - from);
                w.get(from, cw, 0, len);
                g.get(from, cg, 0, len);
                mv.get(2 * from, cm, 0, len);
                mv.get(2 * from + len, cv, 0, len);
                RULE.updateChunk(cw, cg, cm, cv, len, stepSize);
                w.put(from, cw, 0, len);
                mv.put(2 * from, cm, 0, len);
                mv.put(2 * from + len, cv, 0, len);
            }
        }
    }
}
