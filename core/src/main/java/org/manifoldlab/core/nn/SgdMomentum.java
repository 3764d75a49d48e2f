package org.manifoldlab.core.nn;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SGD with (heavy-ball) momentum: u = mu u + g; w -= lr u. momentum 0 is plain SGD. The pass runs
 * chunk by chunk, as Adam's does, with the velocity on the heap or natively ({@link HeapChunks}).
 *
 * @param heapState whether the velocity lives on the Java heap (else natively)
 */
public record SgdMomentum(double learningRate, double momentum, boolean heapState) implements Optimizer {

    /** With the velocity on the heap. */
    public SgdMomentum(double learningRate, double momentum) {
        this(learningRate, momentum, true);
    }

    @Override
    public SgdMomentum withHeapState(boolean onHeap) {
        return new SgdMomentum(learningRate, momentum, onHeap);
    }

    @Override
    public int stateArrays() {
        return 1;
    }

    @Override
    public ParameterUpdater updaterFor(INDArray parameter) {
        return new Updater(parameter);
    }

    /** The float pass's arithmetic over one chunk: u and w updated in place from g, elements 0..len-1. */
    void updateChunk(float[] w, float[] g, float[] u, int len) {
        float mu = (float) momentum;
        float lr = (float) learningRate;
        for (int i = 0; i < len; i++) {
            float ui = mu * u[i] + g[i];
            u[i] = ui;
            w[i] = w[i] - lr * ui;
        }
    }

    private void updateChunk(double[] w, double[] g, double[] u, int len) {
        for (int i = 0; i < len; i++) {
            double ui = momentum * u[i] + g[i];
            u[i] = ui;
            w[i] = w[i] - learningRate * ui;
        }
    }

    private final class Updater implements ParameterUpdater {
        private final HeapChunks u;
        private final float[][] scratchF;
        private final double[][] scratchD;
        private long t;

        Updater(INDArray parameter) {
            u = new HeapChunks(parameter, heapState);
            int scratch = Math.min(HeapChunks.CHUNK, u.size());
            scratchF = u.isFloat() ? new float[][] {new float[scratch], new float[scratch]} : null;
            scratchD = u.isFloat() ? null : new double[][] {new double[scratch], new double[scratch]};
        }

        @Override
        public void apply(INDArray param, INDArray grad) {
            u.check(param, grad);
            t++;
            if (scratchF != null) {
                FloatBuffer w = param.data().asNioFloat();
                FloatBuffer g = grad.data().asNioFloat();
                for (int k = 0; k < u.chunks(); k++) {
                    int from = k * HeapChunks.CHUNK;
                    int len = u.length(k);
                    w.get(from, scratchF[0], 0, len);
                    g.get(from, scratchF[1], 0, len);
                    updateChunk(scratchF[0], scratchF[1], u.loadFloat(k), len);
                    w.put(from, scratchF[0], 0, len);
                    u.storeFloat(k);
                }
            } else {
                DoubleBuffer w = param.data().asNioDouble();
                DoubleBuffer g = grad.data().asNioDouble();
                for (int k = 0; k < u.chunks(); k++) {
                    int from = k * HeapChunks.CHUNK;
                    int len = u.length(k);
                    w.get(from, scratchD[0], 0, len);
                    g.get(from, scratchD[1], 0, len);
                    updateChunk(scratchD[0], scratchD[1], u.loadDouble(k), len);
                    w.put(from, scratchD[0], 0, len);
                    u.storeDouble(k);
                }
            }
        }

        @Override
        public long steps() {
            return t;
        }

        @Override
        public List<INDArray> stateCopy() {
            return List.of(u.copy());
        }

        @Override
        public int stateArrays() {
            return 1;
        }

        @Override
        public void restore(List<INDArray> state, long steps) {
            if (state.size() != 1) {
                throw new IllegalArgumentException("SGD's state is 1 array (the velocity), got " + state.size());
            }
            u.restore(state.get(0));
            t = steps;
        }
    }
}
