package org.manifoldlab.core.nn;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An optimizer's state for one parameter, on the Java heap in chunks of {@link #CHUNK} elements,
 * in the parameter's buffer order: the update loops read it in place, beside heap copies of the
 * parameter's and the gradient's chunk, all indexed alike so that the JIT vectorises them. Only
 * the optimizer's own pass reads this state, so it need not be off-heap for the gemms; copying
 * every off-heap stream through the heap chunk by chunk made Adam's pass 1.4 times as long
 * (docs/PERFORMANCE.md, stop 37). Copies of it, for checkpoints, are arrays of the parameter's
 * shape and ordering.
 */
final class HeapChunks {

    /**
     * Elements per chunk: the parameter's and the gradient's heap copies (64 kB each in float)
     * stay in a core's L2 between the copy in, the arithmetic and the copy out.
     */
    static final int CHUNK = 16_384;

    private final long[] shape;
    private final char ordering;
    private final DataType type;
    private final int n;
    /** Chunk k holds elements k CHUNK ..; one of the two is null, by the parameter's type. */
    final float[][] floats;
    final double[][] doubles;

    /** Zeros, for a parameter like this one (float or double, at most 2^31 - 9 elements). */
    HeapChunks(INDArray parameter) {
        if (parameter.length() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a parameter of " + parameter.length() + " elements; an array holds at most 2^31 - 1");
        }
        shape = parameter.shape();
        ordering = parameter.ordering();
        type = parameter.dataType();
        n = (int) parameter.length();
        int chunks = (n + CHUNK - 1) / CHUNK;
        if (type == DataType.FLOAT) {
            floats = new float[chunks][];
            for (int k = 0; k < chunks; k++) {
                floats[k] = new float[length(k)];
            }
            doubles = null;
        } else if (type == DataType.DOUBLE) {
            doubles = new double[chunks][];
            for (int k = 0; k < chunks; k++) {
                doubles[k] = new double[length(k)];
            }
            floats = null;
        } else {
            throw new IllegalArgumentException("optimizer state is float or double, not " + type);
        }
    }

    int chunks() {
        return floats != null ? floats.length : doubles.length;
    }

    /** Elements in chunk k: CHUNK, or fewer in the last. */
    int length(int k) {
        return Math.min(CHUNK, n - k * CHUNK);
    }

    /** Elements, as the parameter has. */
    int size() {
        return n;
    }

    DataType type() {
        return type;
    }

    /** Throws unless param and grad are arrays of this state's parameter: its length and type. */
    void check(INDArray param, INDArray grad) {
        if (param.length() != n || grad.length() != n || param.dataType() != type || grad.dataType() != type) {
            throw new IllegalArgumentException("an updater of " + n + " " + type + " elements got " + param.length() + " "
                    + param.dataType() + " and a gradient of " + grad.length() + " " + grad.dataType());
        }
    }

    /** A copy: an array of the parameter's shape and ordering, its elements in the parameter's buffer order. */
    INDArray copy() {
        INDArray out = Nd4j.create(type, shape, ordering);
        if (floats != null) {
            FloatBuffer b = out.data().asNioFloat();
            for (int k = 0; k < floats.length; k++) {
                b.put(k * CHUNK, floats[k], 0, floats[k].length);
            }
        } else {
            DoubleBuffer b = out.data().asNioDouble();
            for (int k = 0; k < doubles.length; k++) {
                b.put(k * CHUNK, doubles[k], 0, doubles[k].length);
            }
        }
        return out;
    }

    /** Sets the state from an array of the parameter's shape (as {@link #copy()} gives; another ordering or type is converted). */
    void restore(INDArray from) {
        if (!Arrays.equals(from.shape(), shape)) {
            throw new IllegalArgumentException("optimizer state of shape " + Arrays.toString(shape) + " got " + Arrays.toString(from.shape()));
        }
        INDArray source = from.dataType() == type && from.ordering() == ordering && !from.isView() ? from : from.castTo(type).dup(ordering);
        if (floats != null) {
            FloatBuffer b = source.data().asNioFloat();
            for (int k = 0; k < floats.length; k++) {
                b.get(k * CHUNK, floats[k], 0, floats[k].length);
            }
        } else {
            DoubleBuffer b = source.data().asNioDouble();
            for (int k = 0; k < doubles.length; k++) {
                b.get(k * CHUNK, doubles[k], 0, doubles[k].length);
            }
        }
    }
}
