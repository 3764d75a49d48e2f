package org.manifoldlab.core.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** An optimizer's hyper-parameters; it makes one {@link ParameterUpdater} per parameter array. */
public sealed interface Optimizer permits Adam, SgdMomentum {

    /** An updater whose state (moments, velocity) is preallocated for this parameter. */
    ParameterUpdater updaterFor(INDArray parameter);

    double learningRate();
}
