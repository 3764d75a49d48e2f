package org.manifoldlab.core;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Threads of the native kernels. The bits of a result depend on them: OpenBLAS splits a gemm
 * differently over one thread than over two, so the same training with 1 and with 2 BLAS
 * threads ends with different weights (each setting is reproducible on its own). The actor
 * system always runs single-threaded kernels; a plain loop that is to equal it bit for bit
 * must too.
 */
public final class Kernels {

    private Kernels() {
    }

    /** One BLAS thread and one OpenMP thread per call; process-wide and idempotent. */
    public static synchronized void singleThreaded() {
        if (Nd4j.factory().blas().getMaxThreads() != 1) {
            Nd4j.factory().blas().setMaxThreads(1);
        }
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
    }

    /** BLAS threads per call now in force. */
    public static int blasThreads() {
        return Nd4j.factory().blas().getMaxThreads();
    }
}
