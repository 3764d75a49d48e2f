package org.manifoldlab.actors.run;

import org.nd4j.linalg.factory.Nd4j;

/**
 * How the actor system shares the cores. The compute dispatcher has one thread per core and
 * keeps them busy with independent work (pipeline stages, analysis rounds, other experiments),
 * so every native kernel runs single-threaded: a 2-thread gemm on each of two compute threads
 * would put four busy threads on two cores. Measured in docs/PERFORMANCE.md.
 */
public final class ComputeResources {

    private ComputeResources() {
    }

    /** One BLAS thread and one OpenMP thread per call; process-wide and idempotent. */
    public static synchronized void singleThreadedKernels() {
        if (Nd4j.factory().blas().getMaxThreads() != 1) {
            Nd4j.factory().blas().setMaxThreads(1);
        }
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
    }
}
