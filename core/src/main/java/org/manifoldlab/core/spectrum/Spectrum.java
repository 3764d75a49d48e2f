package org.manifoldlab.core.spectrum;

import java.util.Arrays;

/**
 * The eigenvalues lambda_1 >= lambda_2 >= ... >= lambda_width of a covariance, with the number of
 * samples it was estimated from.
 *
 * <p>Rounding leaves the eigenvalues of a rank-deficient covariance scattered around zero, some
 * of them negative. They are kept as they are ({@link #eigenvalues()}, {@link #negativeCount()}),
 * but only the {@link #rank()} eigenvalues above the numerical-rank tolerance
 * {@code width * eps * max|lambda|} (as numpy's matrix_rank) count as positive: those alone enter
 * power-law fits, the participation ratio and the explained variance; the rest count as zero.
 */
public final class Spectrum {

    private final double[] lambda;
    private final long samples;
    private final double tolerance;
    private final int rank;

    /** @param eigenvalues in any order (sorted descending here), all finite */
    public Spectrum(double[] eigenvalues, long samples) {
        if (samples < 0) {
            throw new IllegalArgumentException("samples must be >= 0, got " + samples);
        }
        double[] sorted = eigenvalues.clone();
        double largest = 0;
        for (double v : sorted) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("eigenvalues must be finite, got " + v);
            }
            largest = Math.max(largest, Math.abs(v));
        }
        Arrays.sort(sorted);
        this.lambda = new double[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            lambda[i] = sorted[sorted.length - 1 - i];
        }
        this.samples = samples;
        this.tolerance = sorted.length * Math.ulp(1.0) * largest;
        int r = 0;
        while (r < lambda.length && lambda[r] > tolerance) {
            r++;
        }
        this.rank = r;
    }

    /** The spectrum of the given eigenvalues with no sample count (0): for hand-made spectra. */
    public static Spectrum of(double... eigenvalues) {
        return new Spectrum(eigenvalues, 0);
    }

    /** The number of eigenvalues: the layer's width. */
    public int width() {
        return lambda.length;
    }

    /** The number of samples the covariance was estimated from (0 when not from data). */
    public long samples() {
        return samples;
    }

    /** A copy of all eigenvalues, descending, tiny negative ones included. */
    public double[] eigenvalues() {
        return lambda.clone();
    }

    /** lambda_n, rank n from 1. */
    public double eigenvalue(int n) {
        if (n < 1 || n > lambda.length) {
            throw new IllegalArgumentException("rank " + n + " outside 1.." + lambda.length);
        }
        return lambda[n - 1];
    }

    /** The number of eigenvalues above {@link #tolerance()}: lambda_1 .. lambda_rank are the positive ones. */
    public int rank() {
        return rank;
    }

    /** width * eps * max|lambda|: eigenvalues at or below it are zero up to rounding. */
    public double tolerance() {
        return tolerance;
    }

    /** How many eigenvalues came out negative (rounding, for a covariance). */
    public int negativeCount() {
        int k = 0;
        for (double v : lambda) {
            if (v < 0) {
                k++;
            }
        }
        return k;
    }

    /** sum of the positive eigenvalues: the total variance. */
    public double totalVariance() {
        double sum = 0;
        for (int i = 0; i < rank; i++) {
            sum += lambda[i];
        }
        return sum;
    }

    /** D = (sum lambda)^2 / sum lambda^2 over the positive eigenvalues; between 1 (rank one) and width (isotropic). */
    public double participationRatio() {
        requireVariance("participation ratio");
        double sum = 0;
        double sumSquares = 0;
        for (int i = 0; i < rank; i++) {
            sum += lambda[i];
            sumSquares += lambda[i] * lambda[i];
        }
        return sum * sum / sumSquares;
    }

    /** Element k - 1 is the fraction of the total variance in the first k components, k = 1..width. */
    public double[] cumulativeExplainedVariance() {
        requireVariance("explained variance");
        double total = totalVariance();
        double[] out = new double[lambda.length];
        double partial = 0;
        for (int i = 0; i < lambda.length; i++) {
            partial += i < rank ? lambda[i] : 0.0;
            out[i] = i < rank - 1 ? partial / total : 1.0;
        }
        return out;
    }

    /** The fewest leading components whose eigenvalues sum to at least fraction of the total variance. */
    public int componentsToExplain(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
        }
        requireVariance("explained variance");
        double target = fraction * totalVariance();
        double partial = 0;
        for (int i = 0; i < rank - 1; i++) {
            partial += lambda[i];
            if (partial >= target) {
                return i + 1;
            }
        }
        return rank;
    }

    private void requireVariance(String what) {
        if (rank == 0) {
            throw new IllegalArgumentException(what + " is undefined: no positive eigenvalues (width " + lambda.length
                    + ", largest " + (lambda.length == 0 ? "none" : lambda[0]) + ")");
        }
    }

    @Override
    public String toString() {
        return "Spectrum[width " + lambda.length + ", rank " + rank + ", samples " + samples
                + (lambda.length == 0 ? "" : ", lambda_1 " + lambda[0]) + "]";
    }
}
