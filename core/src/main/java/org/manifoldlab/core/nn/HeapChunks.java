package org.manifoldlab.core.nn;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One array of an optimizer's state for one parameter (a moment, a velocity), which the
 * optimizer's pass reads chunk by chunk ({@link #CHUNK} elements, in the parameter's buffer
 * order) beside heap copies of the parameter's and the gradient's chunk, all indexed alike so
 * that the JIT vectorises the loop.
 *
 * <p>On the Java heap, the chunks are the state itself and the loop reads them in place. Natively
 * (an ND4J array), each chunk is copied into a heap array and back, one stream after another:
 * Adam's pass then took 1.4 times as long (docs/PERFORMANCE.md, stop 37). The heap holds a
 * network's state only while it is small beside -Xmx ({@link Optimizer#stateOnHeap}): long-lived
 * data above G1's marking threshold keeps the collector marking. Either way the numbers are the
 * same bits, and copies for checkpoints are arrays of the parameter's shape and ordering.
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
    private final int chunks;
    /** On the heap: chunk k holds elements k CHUNK ..; one of the two is null, by the parameter's type. */
    private final float[][] floats;
    private final double[][] doubles;
    /** Natively: the state, a view of its buffer (made once, not per chunk), and the one heap chunk its elements pass through. */
    private final INDArray array;
    private final FloatBuffer nativeF;
    private final DoubleBuffer nativeD;
    private final float[] scratchF;
    private final double[] scratchD;

    /** Zeros, for a parameter like this one (float or double, at most 2^31 - 9 elements), on the heap or natively. */
    HeapChunks(INDArray parameter, boolean onHeap) {
        if (parameter.length() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a parameter of " + parameter.length() + " elements; an array holds at most 2^31 - 1");
        }
        shape = parameter.shape();
        ordering = parameter.ordering();
        type = parameter.dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("optimizer state is float or double, not " + type);
        }
        n = (int) parameter.length();
        chunks = (n + CHUNK - 1) / CHUNK;
        boolean isFloat = type == DataType.FLOAT;
        if (onHeap) {
            floats = isFloat ? new float[chunks][] : null;
            doubles = isFloat ? null : new double[chunks][];
            for (int k = 0; k < chunks; k++) {
                if (isFloat) {
                    floats[k] = new float[length(k)];
                } else {
                    doubles[k] = new double[length(k)];
                }
            }
            array = null;
            nativeF = null;
            nativeD = null;
            scratchF = null;
            scratchD = null;
        } else {
            floats = null;
            doubles = null;
            array = Nd4j.create(type, shape, ordering);
            nativeF = isFloat ? array.data().asNioFloat() : null;
            nativeD = isFloat ? null : array.data().asNioDouble();
            scratchF = isFloat ? new float[Math.min(CHUNK, n)] : null;
            scratchD = isFloat ? null : new double[Math.min(CHUNK, n)];
        }
    }

    int chunks() {
        return chunks;
    }

    /** Elements in chunk k: CHUNK, or fewer in the last. */
    int length(int k) {
        return Math.min(CHUNK, n - k * CHUNK);
    }

    /** Elements, as the parameter has. */
    int size() {
        return n;
    }

    boolean isFloat() {
        return type == DataType.FLOAT;
    }

    /** Throws unless param and grad are arrays of this state's parameter: its length and type. */
    void check(INDArray param, INDArray grad) {
        if (param.length() != n || grad.length() != n || param.dataType() != type || grad.dataType() != type) {
            throw new IllegalArgumentException("an updater of " + n + " " + type + " elements got " + param.length() + " "
                    + param.dataType() + " and a gradient of " + grad.length() + " " + grad.dataType());
        }
    }

    /** Chunk k for the pass to read and write: the state's own on the heap, else a copy, which {@link #storeFloat} writes back. */
    float[] loadFloat(int k) {
        if (floats != null) {
            return floats[k];
        }
        nativeF.get(k * CHUNK, scratchF, 0, length(k));
        return scratchF;
    }

    void storeFloat(int k) {
        if (array != null) {
            nativeF.put(k * CHUNK, scratchF, 0, length(k));
        }
    }

    double[] loadDouble(int k) {
        if (doubles != null) {
            return doubles[k];
        }
        nativeD.get(k * CHUNK, scratchD, 0, length(k));
        return scratchD;
    }

    void storeDouble(int k) {
        if (array != null) {
            nativeD.put(k * CHUNK, scratchD, 0, length(k));
        }
    }

    /** A copy: an array of the parameter's shape and ordering, its elements in the parameter's buffer order. */
    INDArray copy() {
        if (array != null) {
            return array.dup(ordering);
        }
        INDArray out = Nd4j.create(type, shape, ordering);
        if (floats != null) {
            FloatBuffer b = out.data().asNioFloat();
            for (int k = 0; k < chunks; k++) {
                b.put(k * CHUNK, floats[k], 0, floats[k].length);
            }
        } else {
            DoubleBuffer b = out.data().asNioDouble();
            for (int k = 0; k < chunks; k++) {
                b.put(k * CHUNK, doubles[k], 0, doubles[k].length);
            }
        }
        return out;
    }

    /** Sets the state from an array of the parameter's shape (as {@link #copy()} gives; another ordering, layout or type is converted). */
    void restore(INDArray from) {
        if (!Arrays.equals(from.shape(), shape)) {
            throw new IllegalArgumentException("optimizer state of shape " + Arrays.toString(shape) + " got " + Arrays.toString(from.shape()));
        }
        if (array != null) {
            array.assign(from);
            return;
        }
        // a fresh array of the parameter's type and ordering: its buffer holds the elements in the parameter's order
        INDArray source = from.castTo(type).dup(ordering);
        if (floats != null) {
            FloatBuffer b = source.data().asNioFloat();
            for (int k = 0; k < chunks; k++) {
                b.get(k * CHUNK, floats[k], 0, floats[k].length);
            }
        } else {
            DoubleBuffer b = source.data().asNioDouble();
            for (int k = 0; k < chunks; k++) {
                b.get(k * CHUNK, doubles[k], 0, doubles[k].length);
            }
        }
    }
}
