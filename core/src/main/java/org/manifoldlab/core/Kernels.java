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
    public static void singleThreaded() {
        threads(1);
    }

    /** n BLAS threads and n OpenMP threads per call, process-wide (benchmarks compare settings). */
    public static synchronized void threads(int n) {
        if (Nd4j.factory().blas().getMaxThreads() != n) {
            Nd4j.factory().blas().setMaxThreads(n);
        }
        Nd4j.getEnvironment().setMaxThreads(n);
        Nd4j.getEnvironment().setMaxMasterThreads(n);
    }

    /** BLAS threads per call now in force. */
    public static int blasThreads() {
        return Nd4j.factory().blas().getMaxThreads();
    }
}
