package org.manifoldlab.core.spectrum;

import java.util.SplittableRandom;
import org.manifoldlab.core.seed.Seeds;

/**
 * Gaussian samples with a known population spectrum: x_j = sqrt(lambda_j) z_j, z ~ N(0, I), so
 * the population covariance is diag(lambda) exactly (a Gaussian sample's eigenvalues do not
 * depend on the rotation, so no rotation is needed), and units with lambda_j = 0 are exactly 0.
 */
final class Populations {

    private Populations() {
    }

    /** lambda_n = n^-alpha, n = 1..width. */
    static double[] powerLaw(int width, double alpha) {
        double[] lambda = new double[width];
        for (int n = 1; n <= width; n++) {
            lambda[n - 1] = Math.pow(n, -alpha);
        }
        return lambda;
    }

    /**
     * The rank-losing layer: n^-2 up to n = 300, then n^-2 exp(-(n - 300)/12) up to live,
     * the other units exactly zero.
     */
    static double[] deadTail(int width, int live) {
        double[] lambda = new double[width];
        for (int n = 1; n <= live; n++) {
            lambda[n - 1] = Math.pow(n, -2) * (n <= 300 ? 1.0 : Math.exp(-(n - 300) / 12.0));
        }
        return lambda;
    }

    /** samples x width row-major, from the stream (seed, "test-population", draw). */
    static float[] draw(double[] lambda, int samples, long seed, int draw, float[] out) {
        int width = lambda.length;
        double[] scale = new double[width];
        for (int j = 0; j < width; j++) {
            scale[j] = Math.sqrt(lambda[j]);
        }
        SplittableRandom random = Seeds.stream(seed, "test-population", draw);
        for (int i = 0; i < samples; i++) {
            for (int j = 0; j < width; j++) {
                out[i * width + j] = (float) (scale[j] * random.nextGaussian());
            }
        }
        return out;
    }

    /** The covariance of rows [samples, width], streamed in batches of 500 rows. */
    static CovarianceAccumulator accumulate(float[] rows, int samples, int width, CovarianceAccumulator acc) {
        acc.reset();
        for (int from = 0; from < samples; from += 500) {
            acc.accumulateRows(rows, from, Math.min(samples, from + 500));
        }
        return acc;
    }
}
