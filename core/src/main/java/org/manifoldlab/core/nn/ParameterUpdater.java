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

    /** The state arrays, live (for checkpoints: copy before keeping). */
    List<INDArray> state();

    /** Restores the step count (the state arrays are restored through {@link #state()}). */
    void restoreSteps(long steps);
}
