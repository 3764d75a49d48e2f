package org.manifoldlab.core.nn;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam (Kingma and Ba 2015): m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 * w -= lr sqrt(1-b2^t)/(1-b1^t) m / (sqrt(v) + eps).
 * One fused pass in Java: the four arrays are read once and three written once, where separate
 * ND4J ops would sweep them several times.
 *
 * <p>The moments live on the Java heap, in chunks of {@link #CHUNK} elements, since nothing but
 * this pass reads them: the loop then reads them in place, and only the parameter and its
 * gradient (off-heap, for the gemms) are copied through a heap chunk. With the moments off-heap
 * as well, the pass copied all seven streams one after another and took 1.6-1.8 times as long
 * (bench/run AdamPass compares the two layouts, bit for bit and timed). Checkpoints get the
 * moments as arrays of the parameter's shape and ordering ({@link Updater#stateCopy()}), as
 * before.
 */
public record Adam(double learningRate, double beta1, double beta2, double epsilon) implements Optimizer {

    public Adam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8);
    }

    @Override
    public ParameterUpdater updaterFor(INDArray parameter) {
        return new Updater(parameter);
    }

    /**
     * Elements per chunk: the parameter's and the gradient's heap copies (64 kB each in float)
     * stay in a core's L2 between the copy in, the arithmetic and the copy out, beside the
     * moments' chunks the loop streams from memory.
     */
    static final int CHUNK = 16_384;

    /** The Java heap an Adam updater keeps for a parameter of n elements of this type: its two moments. */
    public static long heapBytes(long n, DataType type) {
        return 2 * n * type.width();
    }

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
        private final long[] shape;
        private final char ordering;
        private final DataType type;
        private final int n;
        /** The moments, chunk k holding elements k CHUNK.. (float[][] or double[][] by the parameter's type). */
        private final float[][] mf;
        private final float[][] vf;
        private final double[][] md;
        private final double[][] vd;
        /** The parameter's and the gradient's chunk, copied in and (the parameter) out. */
        private final float[][] scratchF;
        private final double[][] scratchD;
        private long t;

        Updater(INDArray parameter) {
            if (parameter.length() > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("a parameter of " + parameter.length() + " elements; an array holds at most 2^31 - 1");
            }
            shape = parameter.shape();
            ordering = parameter.ordering();
            type = parameter.dataType();
            n = (int) parameter.length();
            int chunks = (n + CHUNK - 1) / CHUNK;
            int scratch = Math.min(CHUNK, n);
            if (type == DataType.FLOAT) {
                mf = new float[chunks][];
                vf = new float[chunks][];
                for (int k = 0; k < chunks; k++) {
                    mf[k] = new float[chunkLength(k)];
                    vf[k] = new float[chunkLength(k)];
                }
                scratchF = new float[][] {new float[scratch], new float[scratch]};
                md = vd = scratchD = null;
            } else if (type == DataType.DOUBLE) {
                md = new double[chunks][];
                vd = new double[chunks][];
                for (int k = 0; k < chunks; k++) {
                    md[k] = new double[chunkLength(k)];
                    vd[k] = new double[chunkLength(k)];
                }
                scratchD = new double[][] {new double[scratch], new double[scratch]};
                mf = vf = scratchF = null;
            } else {
                throw new IllegalArgumentException("Adam updates float or double parameters, not " + type);
            }
        }

        private int chunkLength(int k) {
            return Math.min(CHUNK, n - k * CHUNK);
        }

        @Override
        public void apply(INDArray param, INDArray grad) {
            if (param.length() != n || grad.length() != n || param.dataType() != type || grad.dataType() != type) {
                throw new IllegalArgumentException("an updater of " + n + " " + type + " elements got " + param.length() + " "
                        + param.dataType() + " and a gradient of " + grad.length() + " " + grad.dataType());
            }
            t++;
            double stepSize = stepSize(t);
            if (type == DataType.FLOAT) {
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
            for (int k = 0; k < mf.length; k++) {
                int from = k * CHUNK;
                int len = mf[k].length;
                w.get(from, cw, 0, len);
                g.get(from, cg, 0, len);
                updateChunk(cw, cg, mf[k], vf[k], len, stepSize);
                w.put(from, cw, 0, len);
            }
        }

        private void applyDouble(DoubleBuffer w, DoubleBuffer g, double stepSize) {
            double[] cw = scratchD[0];
            double[] cg = scratchD[1];
            for (int k = 0; k < md.length; k++) {
                int from = k * CHUNK;
                int len = md[k].length;
                w.get(from, cw, 0, len);
                g.get(from, cg, 0, len);
                updateChunk(cw, cg, md[k], vd[k], len, stepSize);
                w.put(from, cw, 0, len);
            }
        }

        @Override
        public long steps() {
            return t;
        }

        /** m and v, each an array of the parameter's shape and ordering, its elements in the parameter's buffer order. */
        @Override
        public List<INDArray> stateCopy() {
            return List.of(copyOut(mf, md), copyOut(vf, vd));
        }

        private INDArray copyOut(float[][] f, double[][] d) {
            INDArray out = Nd4j.create(type, shape, ordering);
            if (f != null) {
                FloatBuffer b = out.data().asNioFloat();
                for (int k = 0; k < f.length; k++) {
                    b.put(k * CHUNK, f[k], 0, f[k].length);
                }
            } else {
                DoubleBuffer b = out.data().asNioDouble();
                for (int k = 0; k < d.length; k++) {
                    b.put(k * CHUNK, d[k], 0, d[k].length);
                }
            }
            return out;
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
            copyIn(state.get(0), mf, md);
            copyIn(state.get(1), vf, vd);
            t = steps;
        }

        private void copyIn(INDArray from, float[][] f, double[][] d) {
            if (!java.util.Arrays.equals(from.shape(), shape)) {
                throw new IllegalArgumentException("a moment of shape " + java.util.Arrays.toString(shape) + " got "
                        + java.util.Arrays.toString(from.shape()));
            }
            // the elements in the parameter's buffer order and type, as stateCopy gives them
            INDArray source = from.dataType() == type && from.ordering() == ordering && !from.isView() ? from : from.castTo(type).dup(ordering);
            if (f != null) {
                FloatBuffer b = source.data().asNioFloat();
                for (int k = 0; k < f.length; k++) {
                    b.get(k * CHUNK, f[k], 0, f[k].length);
                }
            } else {
                DoubleBuffer b = source.data().asNioDouble();
                for (int k = 0; k < d.length; k++) {
                    b.get(k * CHUNK, d[k], 0, d[k].length);
                }
            }
        }
    }
}
