package org.manifoldlab.core.nn;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The update rule of one parameter array, with its state preallocated. Parameter, gradient and
 * state arrays share shape and ordering, so the rule runs as one pass over their flat buffers.
 */
public interface ParameterUpdater {

    /** param -= step(grad); the gradient array may be overwritten. */
    void apply(INDArray param, INDArray grad);

    /** Updates applied so far. */
    long steps();

    /**
     * Copies of the state arrays (for checkpoints and snapshots), each of the parameter's shape
     * and ordering: the updater never touches them again.
     */
    List<INDArray> stateCopy();

    /** How many arrays {@link #stateCopy()} gives. */
    int stateArrays();

    /** Sets the state from arrays as {@link #stateCopy()} gives them, and the update count. */
    void restore(List<INDArray> state, long steps);
}
