package org.manifoldlab.core.nn;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adam (Kingma and Ba 2015): m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 * w -= lr sqrt(1-b2^t)/(1-b1^t) m / (sqrt(v) + eps).
 * One fused pass in Java: the four arrays are read once and three written once, where separate
 * ND4J ops would sweep them several times.
 *
 * <p>The moments live on the Java heap when the network's state is small ({@link HeapChunks},
 * {@link Optimizer#stateOnHeap}): the loop reads them in place, and only the parameter and its
 * gradient (off-heap, for the gemms) are copied through a heap chunk. With the moments off-heap,
 * the pass copies all seven streams one after another and takes 1.4 times as long
 * (bench/run AdamPass compares the two, bit for bit and timed). Checkpoints get the moments as
 * arrays of the parameter's shape and ordering either way.
 *
 * @param heapState whether the moments live on the Java heap (else natively)
 */
public record Adam(double learningRate, double beta1, double beta2, double epsilon, boolean heapState) implements Optimizer {

    public Adam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8);
    }

    /** With the moments on the heap. */
    public Adam(double learningRate, double beta1, double beta2, double epsilon) {
        this(learningRate, beta1, beta2, epsilon, true);
    }

    @Override
    public Adam withHeapState(boolean onHeap) {
        return new Adam(learningRate, beta1, beta2, epsilon, onHeap);
    }

    @Override
    public int stateArrays() {
        return 2;
    }

    @Override
    public ParameterUpdater updaterFor(INDArray parameter) {
        return new Updater(parameter);
    }

    /** Elements per chunk of the pass (see {@link HeapChunks#CHUNK}). */
    static final int CHUNK = HeapChunks.CHUNK;

    /** The bias-corrected step at update t (from 1): lr sqrt(1 - b2^t) / (1 - b1^t). */
    public double stepSize(long t) {
        return learningRate * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
    }

    /**
     * The float pass's arithmetic over one chunk of heap copies: w, m and v updated in place from
     * g, elements 0..len-1. Public so that a probe of another memory layout (bench's AdamPass)
     * runs this very arithmetic.
     */
    public void updateChunk(float[] w, float[] g, float[] m, float[] v, int len, float stepSize) {
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float c1 = 1 - b1;
        float c2 = 1 - b2;
        float eps = (float) epsilon;
        for (int i = 0; i < len; i++) {
            float gi = g[i];
            float mi = b1 * m[i] + c1 * gi;
            float vi = b2 * v[i] + c2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            w[i] = w[i] - stepSize * mi / ((float) Math.sqrt(vi) + eps);
        }
    }

    /** The double pass's arithmetic over one chunk, in the order the float pass uses. */
    private void updateChunk(double[] w, double[] g, double[] m, double[] v, int len, double stepSize) {
        for (int i = 0; i < len; i++) {
            double gi = g[i];
            double mi = beta1 * m[i] + (1 - beta1) * gi;
            double vi = beta2 * v[i] + (1 - beta2) * gi * gi;
            m[i] = mi;
            v[i] = vi;
            w[i] = w[i] - stepSize * mi / (Math.sqrt(vi) + epsilon);
        }
    }

    private final class Updater implements ParameterUpdater {
        private final HeapChunks m;
        private final HeapChunks v;
        /** The parameter's and the gradient's chunk, copied in and (the parameter) out; of the parameter's type. */
        private final float[][] scratchF;
        private final double[][] scratchD;
        private long t;

        Updater(INDArray parameter) {
            m = new HeapChunks(parameter, heapState);
            v = new HeapChunks(parameter, heapState);
            int scratch = Math.min(CHUNK, m.size());
            scratchF = m.isFloat() ? new float[][] {new float[scratch], new float[scratch]} : null;
            scratchD = m.isFloat() ? null : new double[][] {new double[scratch], new double[scratch]};
        }

        @Override
        public void apply(INDArray param, INDArray grad) {
            m.check(param, grad);
            t++;
            double stepSize = stepSize(t);
            if (scratchF != null) {
                applyFloat(param.data().asNioFloat(), grad.data().asNioFloat(), (float) stepSize);
            } else {
                applyDouble(param.data().asNioDouble(), grad.data().asNioDouble(), stepSize);
            }
        }

        /**
         * Chunk by chunk: bulk copies of w and g between the off-heap buffers and heap arrays are
         * memcpy, and the arithmetic over plain arrays, all indexed alike, is a loop the JIT
         * vectorises (absolute get/put on the buffers is not).
         */
        private void applyFloat(FloatBuffer w, FloatBuffer g, float stepSize) {
            float[] cw = scratchF[0];
            float[] cg = scratchF[1];
            for (int k = 0; k < m.chunks(); k++) {
                int from = k * CHUNK;
                int len = m.length(k);
                w.get(from, cw, 0, len);
                g.get(from, cg, 0, len);
                updateChunk(cw, cg, m.loadFloat(k), v.loadFloat(k), len, stepSize);
                w.put(from, cw, 0, len);
                m.storeFloat(k);
                v.storeFloat(k);
            }
        }

        private void applyDouble(DoubleBuffer w, DoubleBuffer g, double stepSize) {
            double[] cw = scratchD[0];
            double[] cg = scratchD[1];
            for (int k = 0; k < m.chunks(); k++) {
                int from = k * CHUNK;
                int len = m.length(k);
                w.get(from, cw, 0, len);
                g.get(from, cg, 0, len);
                updateChunk(cw, cg, m.loadDouble(k), v.loadDouble(k), len, stepSize);
                w.put(from, cw, 0, len);
                m.storeDouble(k);
                v.storeDouble(k);
            }
        }

        @Override
        public long steps() {
            return t;
        }

        /** m and v, each an array of the parameter's shape and ordering. */
        @Override
        public List<INDArray> stateCopy() {
            return List.of(m.copy(), v.copy());
        }

        @Override
        public int stateArrays() {
            return 2;
        }

        @Override
        public void restore(List<INDArray> state, long steps) {
            if (state.size() != 2) {
                throw new IllegalArgumentException("Adam's state is 2 arrays (m, v), got " + state.size());
            }
            m.restore(state.get(0));
            v.restore(state.get(1));
            t = steps;
        }
    }
}
