package org.manifoldlab.core.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** An optimizer's hyper-parameters; it makes one {@link ParameterUpdater} per parameter array. */
public sealed interface Optimizer permits Adam, SgdMomentum {

    /** An updater whose state (moments, velocity) is preallocated for this parameter. */
    ParameterUpdater updaterFor(INDArray parameter);

    double learningRate();

    /** Whether its updaters keep their state on the Java heap (faster) or natively; the numbers are the same bits. */
    boolean heapState();

    /** The same optimizer with its state on the heap or natively. */
    Optimizer withHeapState(boolean onHeap);

    /** State arrays per parameter, each the parameter's size: Adam's two moments, SGD's velocity. */
    int stateArrays();

    /**
     * Whether a network's optimizer state of {@code stateBytes} belongs on the Java heap of a
     * process whose heap may grow to {@code maxHeap}: when it is at most an eighth of it. Adam's
     * pass is 1.4 times as fast with its moments on the heap, but long-lived data held above G1's
     * concurrent-marking threshold (45% of the heap) keeps the collector marking: a 784-5x4000
     * network's 540 MB of moments at -Xmx1g made 3,089 collections and 11 s of pauses in 5 epochs,
     * against 46 and 0.2 s, and trained at 261 samples/s against 331 (docs/PERFORMANCE.md, stop 37).
     */
    static boolean stateOnHeap(long stateBytes, long maxHeap) {
        return stateBytes <= maxHeap / 8;
    }
}
