package org.manifoldlab.core.nn;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** SGD with (heavy-ball) momentum: u = mu u + g; w -= lr u. momentum 0 is plain SGD. */
public record SgdMomentum(double learningRate, double momentum) implements Optimizer {

    @Override
    public ParameterUpdater updaterFor(INDArray parameter) {
        return new Updater(parameter);
    }

    private final class Updater implements ParameterUpdater {
        private final INDArray u;
        private long t;

        Updater(INDArray parameter) {
            u = Nd4j.create(parameter.dataType(), parameter.shape(), parameter.ordering());
        }

        @Override
        public void apply(INDArray param, INDArray grad) {
            t++;
            int n = (int) param.length();
            if (param.dataType() == DataType.FLOAT) {
                FloatBuffer w = param.data().asNioFloat();
                FloatBuffer g = grad.data().asNioFloat();
                FloatBuffer ub = u.data().asNioFloat();
                float mu = (float) momentum;
                float lr = (float) learningRate;
                for (int i = 0; i < n; i++) {
                    float ui = mu * ub.get(i) + g.get(i);
                    ub.put(i, ui);
                    w.put(i, w.get(i) - lr * ui);
                }
            } else {
                DoubleBuffer w = param.data().asNioDouble();
                DoubleBuffer g = grad.data().asNioDouble();
                DoubleBuffer ub = u.data().asNioDouble();
                for (int i = 0; i < n; i++) {
                    double ui = momentum * ub.get(i) + g.get(i);
                    ub.put(i, ui);
                    w.put(i, w.get(i) - learningRate * ui);
                }
            }
        }

        @Override
        public long steps() {
            return t;
        }

        @Override
        public List<INDArray> stateCopy() {
            return List.of(u.dup(u.ordering()));
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
            u.assign(state.get(0));
            t = steps;
        }
    }
}
