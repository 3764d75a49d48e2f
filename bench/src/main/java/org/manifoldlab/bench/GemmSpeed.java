package org.manifoldlab.bench;

import org.manifoldlab.core.Gemm;
import org.manifoldlab.core.Kernels;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * GFLOP/s of the float gemms the project runs (a training batch of 64 or 256 rows, an attack
 * job of 500 or 1,000 probes, the 2,000-row ceiling, by a 784- or 1,000-wide layer), with 2 BLAS
 * threads, with 1, and as two 1-thread gemms at once (as the actors run them), under the OpenBLAS
 * kernels this process loaded: a check of a machine's kernel choice in seconds
 * ({@code bench/run GemmSpeed}; CI runs it from a fresh clone).
 */
public final class GemmSpeed {

    private static final int[][] SHAPES = {{64, 1000, 1000}, {256, 784, 1000}, {500, 1000, 1000}, {1000, 1000, 1000}, {2000, 1000, 1000}};

    /** {@code bench/run GemmSpeed [repeats]}: timed loops a figure (default 5; CI runs 3, a smoke check of the build and the kernels). */
    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        System.out.println("OpenBLAS kernels: " + System.getenv().getOrDefault("OPENBLAS_CORETYPE", "chosen by OpenBLAS")
                + " (scripts/native-env.sh; LAB_OPENBLAS_CORETYPE pins others)");
        Harness.header();
        for (int threads : new int[] {2, 1}) {
            if (threads == 1) {
                Kernels.singleThreaded();
            }
            for (int[] s : SHAPES) {
                gflops(s[0], s[1], s[2], 2, repeats);
            }
        }
        // As the actors run them: two threads at once, one BLAS thread each, sharing the cache
        // and the memory bus; the figure is the two threads' sum.
        for (int[] s : SHAPES) {
            concurrentGflops(s[0], s[1], s[2], 2, repeats);
        }
    }

    /**
     * The summed GFLOP/s of two threads that each run their own single-threaded gemm loop at once;
     * the BLAS threads in force before are restored after.
     */
    static Harness.Figure concurrentGflops(int m, int k, int n, int warmups, int repeats) {
        int before = Kernels.blasThreads();
        Kernels.singleThreaded();
        try {
            return concurrent(m, k, n, warmups, repeats);
        } finally {
            Kernels.threads(before);
        }
    }

    private static Harness.Figure concurrent(int m, int k, int n, int warmups, int repeats) {
        INDArray[][] abc = new INDArray[2][];
        for (int t = 0; t < 2; t++) {
            abc[t] = new INDArray[] {Nd4j.rand(DataType.FLOAT, m, k), Nd4j.rand(DataType.FLOAT, k, n),
                    Nd4j.create(DataType.FLOAT, new long[] {m, n}, 'f')};
        }
        double flops = 2.0 * m * k * n;
        int reps = (int) Math.max(3, 2e9 / flops);
        return Harness.measure(String.format("gemm %dx%d by %dx%d float, 2 threads at once x 1 BLAS", m, k, k, n),
                "GFLOP/s", warmups, repeats, () -> {
                    double[] rate = new double[2];
                    Thread[] threads = new Thread[2];
                    for (int t = 0; t < 2; t++) {
                        INDArray[] x = abc[t];
                        int id = t;
                        threads[t] = new Thread(() -> {
                            long t0 = System.nanoTime();
                            for (int i = 0; i < reps; i++) {
                                Gemm.gemm(x[0], x[1], x[2], false, false, 1.0, 0.0);
                            }
                            rate[id] = reps * flops / (System.nanoTime() - t0);
                        });
                        threads[t].start();
                    }
                    for (Thread thread : threads) {
                        try {
                            thread.join();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException(e);
                        }
                    }
                    return rate[0] + rate[1];
                });
    }

    /**
     * C = A B into a preallocated 'f'-order C, as the layers compute it, with the BLAS threads now
     * in force: min, median and max of {@code repeats} timed loops after {@code warmups}.
     */
    static Harness.Figure gflops(int m, int k, int n, int warmups, int repeats) {
        int threads = Kernels.blasThreads();
        INDArray a = Nd4j.rand(DataType.FLOAT, m, k);
        INDArray b = Nd4j.rand(DataType.FLOAT, k, n);
        INDArray c = Nd4j.create(DataType.FLOAT, new long[] {m, n}, 'f');
        double flops = 2.0 * m * k * n;
        int reps = (int) Math.max(3, 2e9 / flops);
        return Harness.measure(String.format("gemm %dx%d by %dx%d float, %d BLAS thread%s", m, k, k, n, threads, threads == 1 ? "" : "s"),
                "GFLOP/s", warmups, repeats, () -> {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < reps; i++) {
                        Gemm.gemm(a, b, c, false, false, 1.0, 0.0);
                    }
                    return reps * flops / (System.nanoTime() - t0);
                });
    }
}
