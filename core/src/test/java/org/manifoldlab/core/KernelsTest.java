package org.manifoldlab.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The tests' JVM starts as ./lab's does (scripts/native-env.sh through surefire's jvm wrapper),
 * and the OpenBLAS kernels it chose compute the products the networks use, called as they call
 * them ({@link Gemm}), within the rounding bound of a float dot product, against a
 * double-precision loop.
 */
class KernelsTest {

    @Test
    void theTestsJvmHasTheLaunchersNativeEnvironment() throws IOException {
        assertNotNull(System.getenv("OPENBLAS_THREAD_TIMEOUT"), "scripts/native-env.sh did not run before this JVM started");
        assertNotNull(System.getenv("OMP_WAIT_POLICY"));
        String pinned = System.getenv("LAB_OPENBLAS_CORETYPE");
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (pinned != null && !pinned.isEmpty()) {
            assertEquals(pinned, System.getenv("OPENBLAS_CORETYPE"));
        } else if (System.getProperty("os.arch").equals("amd64") && Files.isReadable(cpuinfo)) {
            String flags = " " + Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("flags")).findFirst().orElse("") + " ";
            boolean avx512 = Arrays.stream(new String[] {"avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"})
                    .allMatch(f -> flags.contains(" " + f + " "));
            boolean avx2 = flags.contains(" avx2 ") && flags.contains(" fma ");
            if (avx512) {
                assertEquals("SkylakeX", System.getenv("OPENBLAS_CORETYPE"));
            } else if (avx2) {
                assertEquals("Haswell", System.getenv("OPENBLAS_CORETYPE"));
            }
        }
    }

    /** C = op(A) op(B) for the shapes and transposes of the forward, dW and dx products, and odd edges. */
    @ParameterizedTest
    @CsvSource({
        "64, 784, 1000, false, false, f",   // forward, batch 64
        "500, 1000, 1000, false, false, c", // attack batch
        "784, 64, 1000, true, false, f",    // dW = x^T dz
        "64, 1000, 784, false, true, f",    // dx = dz W^T
        "64, 1000, 10, false, false, c",    // readout logits
        "7, 13, 5, false, false, c",        // tails of every blocking
        "33, 17, 65, true, true, f"})
    void floatGemmIsWithinItsRoundingBound(int m, int k, int n, boolean transA, boolean transB, char order) {
        SplittableRandom random = new SplittableRandom(m * 31L + k * 7L + n);
        float[] a = gaussian(random, m * k);
        float[] b = gaussian(random, k * n);
        // A is op(A) [m, k] as stored: [k, m] when transposed; likewise B.
        INDArray arrA = transA ? Nd4j.create(a, new long[] {k, m}, 'c') : Nd4j.create(a, new long[] {m, k}, 'c');
        INDArray arrB = transB ? Nd4j.create(b, new long[] {n, k}, 'c') : Nd4j.create(b, new long[] {k, n}, 'c');
        INDArray c = Nd4j.create(DataType.FLOAT, new long[] {m, n}, order);
        Gemm.gemm(arrA, arrB, c, transA, transB, 1.0, 0.0);
        double unit = Math.ulp(1.0f) / 2;  // float's unit roundoff
        double gamma = k * unit / (1 - k * unit);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double exact = 0;
                double magnitude = 0;
                for (int p = 0; p < k; p++) {
                    double x = transA ? a[p * m + i] : a[i * k + p];
                    double y = transB ? b[j * k + p] : b[p * n + j];
                    exact += x * y;
                    magnitude += Math.abs(x * y);
                }
                double got = c.getDouble(i, j);
                if (Math.abs(got - exact) > gamma * magnitude) {
                    fail(String.format("C[%d,%d] = %s, exact %s, bound %s (kernels %s)", i, j, got, exact, gamma * magnitude,
                            System.getenv("OPENBLAS_CORETYPE")));
                }
            }
        }
    }

    private static float[] gaussian(SplittableRandom random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            double v = random.nextDouble();
            out[i] = (float) (Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v));
        }
        return out;
    }
}
