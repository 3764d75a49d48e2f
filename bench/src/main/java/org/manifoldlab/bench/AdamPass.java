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
 * matrices), on one core, with its moments on the heap (copying only w and g through heap
 * chunks) and natively (every one of a parameter's seven 4-byte streams, w, g, m, v in and
 * w, m, v out, through a bulk copy), as {@code Adam.withHeapState} chooses. The two are checked
 * bit for bit after 3 steps of every layer, then timed in interleaved rounds, alternating which
 * goes first. Also the floor the copies set: the streams each placement copies, as bulk copies
 * alone. {@code bench/run AdamPass}.
 */
public final class AdamPass {

    private static final int[][] SHAPES = {{784, 1000}, {1000, 1000}, {1000, 1000}, {1000, 1000}, {1000, 1000}};
    private static final int CHUNK = 16_384;

    public static void main(String[] args) {
        List<INDArray> weights = new ArrayList<>();
        List<INDArray> grads = new ArrayList<>();
        long parameters = 0;
        for (int[] s : SHAPES) {
            weights.add(Nd4j.rand(DataType.FLOAT, s[0], s[1]).subi(0.5).muli(0.1));
            grads.add(Nd4j.rand(DataType.FLOAT, s[0], s[1]).subi(0.5).muli(0.01));
            parameters += (long) s[0] * s[1];
        }
        Harness.header();
        List<INDArray> moments = new ArrayList<>();
        for (INDArray w : weights) {
            moments.add(Nd4j.create(DataType.FLOAT, w.shape(), w.ordering()));
            moments.add(Nd4j.create(DataType.FLOAT, w.shape(), w.ordering()));
        }
        float[] chunk = new float[CHUNK];
        Harness.Figure copies7 = Harness.measure("bulk copies alone, native moments' 7 streams (4 in, 3 out)", "ms", 5, 15,
                () -> copies(weights, grads, moments, chunk, true));
        Harness.Figure copies3 = Harness.measure("bulk copies alone, heap moments' 3 streams (w, g in; w out)", "ms", 5, 15,
                () -> copies(weights, grads, moments, chunk, false));
        interleaved(weights, grads, 28.0 * parameters, copies7, copies3);
    }

    private static double copies(List<INDArray> weights, List<INDArray> grads, List<INDArray> moments, float[] chunk, boolean all) {
        long t0 = System.nanoTime();
        for (int i = 0; i < weights.size(); i++) {
            FloatBuffer[] in = all
                    ? new FloatBuffer[] {weights.get(i).data().asNioFloat(), grads.get(i).data().asNioFloat(),
                            moments.get(2 * i).data().asNioFloat(), moments.get(2 * i + 1).data().asNioFloat()}
                    : new FloatBuffer[] {weights.get(i).data().asNioFloat(), grads.get(i).data().asNioFloat()};
            int n = (int) weights.get(i).length();
            for (int from = 0; from < n; from += chunk.length) {
                int len = Math.min(chunk.length, n - from);
                for (FloatBuffer b : in) {
                    b.get(from, chunk, 0, len);
                }
                for (int k = 0; k < in.length; k++) {
                    if (k != 1) {
                        in[k].put(from, chunk, 0, len);
                    }
                }
            }
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    /** Both placements: bits compared after 3 steps, then timed, alternating. */
    private static void interleaved(List<INDArray> weights, List<INDArray> grads, double bytes, Harness.Figure copies7,
                                    Harness.Figure copies3) {
        List<INDArray> w1 = new ArrayList<>();
        List<INDArray> w2 = new ArrayList<>();
        List<ParameterUpdater> heap = new ArrayList<>();
        List<ParameterUpdater> offHeap = new ArrayList<>();
        for (INDArray w : weights) {
            w1.add(w.dup());
            w2.add(w.dup());
            heap.add(new Adam(0.001).withHeapState(true).updaterFor(w1.get(w1.size() - 1)));
            offHeap.add(new Adam(0.001).withHeapState(false).updaterFor(w2.get(w2.size() - 1)));
        }
        for (int step = 0; step < 3; step++) {
            applyAll(heap, w1, grads);
            applyAll(offHeap, w2, grads);
        }
        for (int i = 0; i < weights.size(); i++) {
            List<INDArray> a = heap.get(i).stateCopy();
            List<INDArray> b = offHeap.get(i).stateCopy();
            if (!java.util.Arrays.equals(w1.get(i).data().asFloat(), w2.get(i).data().asFloat())
                    || !java.util.Arrays.equals(a.get(0).data().asFloat(), b.get(0).data().asFloat())
                    || !java.util.Arrays.equals(a.get(1).data().asFloat(), b.get(1).data().asFloat())) {
                throw new IllegalStateException("the two placements of the moments differ in the bits of layer " + (i + 1));
            }
        }
        System.out.println("moments on the heap: the same bits as natively after 3 steps of every layer, weights and moments");
        int rounds = 15;
        double[] a = new double[rounds];
        double[] b = new double[rounds];
        for (int r = -3; r < rounds; r++) {
            // Odd rounds run the native pass first: the second pass of a round may find the gradients in cache.
            boolean heapFirst = (r & 1) == 0;
            double first = timed(heapFirst ? () -> applyAll(heap, w1, grads) : () -> applyAll(offHeap, w2, grads));
            double second = timed(heapFirst ? () -> applyAll(offHeap, w2, grads) : () -> applyAll(heap, w1, grads));
            if (r >= 0) {
                a[r] = heapFirst ? first : second;
                b[r] = heapFirst ? second : first;
            }
        }
        Harness.Figure fa = Harness.figure("Adam, moments on the heap (alternating rounds)", "ms", a);
        Harness.Figure fb = Harness.figure("Adam, moments native, 7 streams copied (alternating rounds)", "ms", b);
        System.out.printf("native / heap moments: %.2f (medians); heap moments %.1f GB/s of parameter state (28 bytes a parameter), "
                + "%.2fx its copies' time; native %.2fx its copies' time%n", fb.median() / fa.median(), bytes / fa.median() / 1e6,
                fa.median() / copies3.median(), fb.median() / copies7.median());
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
}
