package org.manifoldlab.core.manifold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.manifoldlab.core.seed.Seeds;
import org.manifoldlab.core.spectrum.ProbeRows;

/** TwoNN and Levina-Bickel on 2,000 points of manifolds whose dimension is known. */
class IntrinsicDimensionTest {

    private static final int N = 2000;

    /** x = A z, z ~ N(0, I_5), A: [100, 5] Gaussian: a 5-dimensional linear subspace of R^100. */
    private static ProbeRows subspace() {
        SplittableRandom r = Seeds.stream(5, "test-subspace", 0);
        double[] a = new double[100 * 5];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
        }
        float[] x = new float[N * 100];
        double[] z = new double[5];
        for (int i = 0; i < N; i++) {
            for (int k = 0; k < 5; k++) {
                z[k] = r.nextGaussian();
            }
            for (int j = 0; j < 100; j++) {
                double s = 0;
                for (int k = 0; k < 5; k++) {
                    s += a[j * 5 + k] * z[k];
                }
                x[i * 100 + j] = (float) s;
            }
        }
        return ProbeRows.wrap(x, N, 100);
    }

    /** The swiss roll: t ~ U(1.5 pi, 4.5 pi), h ~ U(0, 21), x = (t cos t, h, t sin t); d = 2. */
    private static ProbeRows swissRoll() {
        SplittableRandom r = Seeds.stream(5, "test-swiss-roll", 0);
        float[] x = new float[N * 3];
        for (int i = 0; i < N; i++) {
            double t = 1.5 * Math.PI * (1 + 2 * r.nextDouble());
            x[i * 3] = (float) (t * Math.cos(t));
            x[i * 3 + 1] = (float) (21 * r.nextDouble());
            x[i * 3 + 2] = (float) (t * Math.sin(t));
        }
        return ProbeRows.wrap(x, N, 3);
    }

    /** Uniform on S^10 in R^11: normalised Gaussian vectors; d = 10. */
    private static ProbeRows sphere() {
        SplittableRandom r = Seeds.stream(5, "test-sphere", 0);
        float[] x = new float[N * 11];
        double[] g = new double[11];
        for (int i = 0; i < N; i++) {
            double norm = 0;
            for (int j = 0; j < 11; j++) {
                g[j] = r.nextGaussian();
                norm += g[j] * g[j];
            }
            for (int j = 0; j < 11; j++) {
                x[i * 11 + j] = (float) (g[j] / Math.sqrt(norm));
            }
        }
        return ProbeRows.wrap(x, N, 11);
    }

    private static void check(String name, ProbeRows rows, double d) {
        IntrinsicDimension id = IntrinsicDimension.of(rows, 20);
        String report = name + ": TwoNN " + id.twoNn().d() + ", Levina-Bickel " + id.levinaBickel().d();
        System.out.println(report);
        assertEquals(d, id.twoNn().value(), 0.10 * d, report);
        assertEquals(d, id.levinaBickel().value(), 0.20 * d, report);
        assertTrue(id.twoNn().d().lo() < id.twoNn().value() && id.twoNn().value() < id.twoNn().d().hi(), report);
        assertEquals(N, id.twoNn().points());
    }

    @Test
    void recoversTheDimensionOfALinearSubspace() {
        check("5-dim subspace of R^100", subspace(), 5);
    }

    @Test
    void recoversTheDimensionOfASwissRoll() {
        check("swiss roll in R^3", swissRoll(), 2);
    }

    @Test
    void recoversTheDimensionOfTheTenSphere() {
        check("S^10 in R^11", sphere(), 10);
    }

    @Test
    void nearestNeighboursMatchABruteForceSearch() {
        SplittableRandom r = Seeds.stream(6, "test-knn", 0);
        int n = 300;
        int w = 7;
        float[] x = new float[n * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        int k = 5;
        double[] d = NearestNeighbours.distances(ProbeRows.wrap(x, n, w), k);
        for (int i = 0; i < n; i += 37) {
            double[] all = new double[n - 1];
            int m = 0;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    double s = 0;
                    for (int c = 0; c < w; c++) {
                        double diff = (double) x[i * w + c] - x[j * w + c];
                        s += diff * diff;
                    }
                    all[m++] = Math.sqrt(s);
                }
            }
            java.util.Arrays.sort(all);
            for (int j = 0; j < k; j++) {
                assertEquals(all[j], d[i * k + j], 1e-9, "row " + i + " neighbour " + (j + 1));
            }
        }
    }

    /** A duplicated point has r_1 = 0: it and its copy are left out, not turned into infinity. */
    @Test
    void duplicatesAreLeftOut() {
        ProbeRows roll = swissRoll();
        float[] x = roll.data().clone();
        System.arraycopy(x, 0, x, 3, 3);  // row 1 = row 0
        DimensionEstimate d = TwoNn.estimate(ProbeRows.wrap(x, N, 3), 20);
        assertEquals(2, d.excluded());
        assertTrue(Double.isFinite(d.value()));
    }
}
