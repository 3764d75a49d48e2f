package org.manifoldlab.actors.training;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A batch of activations as a message can carry it: a float array its sender has given up,
 * with its shape and memory order. The order is kept so the receiver rebuilds exactly the
 * array the plain loop would have passed on (the gemm then sees the same layout, bit for bit).
 */
public record Activations(float[] values, int rows, int cols, char order) {

    /** A copy of a float array of any order. */
    public static Activations copyOf(INDArray a) {
        if (a.dataType() != DataType.FLOAT || a.isView()) {
            throw new IllegalArgumentException("expected a float array of its own, got " + a.dataType() + (a.isView() ? " view" : ""));
        }
        float[] values = new float[(int) a.length()];
        a.data().asNioFloat().get(0, values);
        return new Activations(values, (int) a.rows(), (int) a.columns(), a.ordering());
    }

    /** Writes the values into target, which must have this shape and order. */
    public INDArray into(INDArray target) {
        if (target.rows() != rows || target.columns() != cols || target.ordering() != order) {
            throw new IllegalArgumentException("target is " + target.shapeInfoToString() + ", need [" + rows + ", " + cols + "] " + order);
        }
        target.data().asNioFloat().put(0, values);
        return target;
    }

    public INDArray newArray() {
        return into(Nd4j.create(DataType.FLOAT, new long[] {rows, cols}, order));
    }
}
