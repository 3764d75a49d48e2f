package org.manifoldlab.core.spectrum;

/**
 * The power-law exponent alpha of a spectrum, lambda_n ~ n^-alpha (Stringer et al., Nature 2019):
 * alpha is the negative slope of the least-squares line through (log n, log lambda_n) over a rank
 * window [lo, hi], clipped to the positive eigenvalues. Optionally each point is weighted by 1/n,
 * as in Stringer et al.'s code, which evens out the crowding of high ranks on the log axis.
 */
public final class PowerLawFit {

    /** Fewer points than this leave no residual to judge the line by: an error, not a number. */
    public static final int MIN_POINTS = 3;

    private PowerLawFit() {
    }

    /** Ranks lo..hi, counted from 1 (lambda_1 is the largest eigenvalue), both included. */
    public record Window(int lo, int hi) {
        /** 10..500: skips the few leading components that carry the class structure, as Stringer et al. */
        public static final Window DEFAULT = new Window(10, 500);

        public Window {
            if (lo < 1 || hi < lo) {
                throw new IllegalArgumentException("fit window " + lo + ".." + hi + " must have 1 <= lo <= hi");
            }
        }

        @Override
        public String toString() {
            return lo + ".." + hi;
        }
    }

    /**
     * One fit: log lambda_n = intercept - alpha log n over the ranks of {@code used}.
     *
     * @param r2        coefficient of determination of the (weighted) fit in log-log space;
     *                  1 when the points lie on the line, also when they are all equal
     * @param requested the window asked for
     * @param used      the window fitted: requested, hi clipped to the spectrum's rank
     * @param points    used.hi - used.lo + 1
     */
    public record Result(double alpha, double intercept, double r2, Window requested, Window used, int points, boolean weighted) {
        /** The fitted line at rank n: exp(intercept) n^-alpha. */
        public double predicted(int n) {
            return Math.exp(intercept - alpha * Math.log(n));
        }
    }

    /** The first rank of the automatic window: skips the leading components that carry the class structure. */
    public static final int AUTO_LO = 10;

    /**
     * The window that stays on the power law: ranks 10 .. floor(rank / 2) of the spectrum's
     * numerical rank. Layers that lose rank fall steeply in the last ranks before it; stopping at
     * half the rank keeps that cliff out of the fit (on n^-2 over 370 live of 1,000 units with an
     * exponential fall from 300, 10..185 gives 2.00 where 10..500 gives 2.8). A full-rank 1,000
     * unit layer gets 10..500, the old fixed default.
     */
    public static Window autoWindow(Spectrum spectrum) {
        return new Window(AUTO_LO, Math.max(AUTO_LO + MIN_POINTS - 1, spectrum.rank() / 2));
    }

    /** The unweighted fit over the default window 10..500. */
    public static Result fit(Spectrum spectrum) {
        return fit(spectrum, Window.DEFAULT, false);
    }

    /**
     * Fits alpha over the window, hi clipped to the positive eigenvalues.
     *
     * @throws IllegalArgumentException when fewer than {@link #MIN_POINTS} positive eigenvalues fall in the window
     */
    public static Result fit(Spectrum spectrum, Window window, boolean weighted) {
        int rank = spectrum.rank();
        int hi = Math.min(window.hi(), rank);
        int points = hi - window.lo() + 1;
        if (points < MIN_POINTS) {
            throw new IllegalArgumentException(unfittable(window, spectrum, points));
        }
        // Weighted least squares of y = log lambda_n on x = log n with weights w_n (1 or 1/n).
        double sw = 0;
        double sx = 0;
        double sy = 0;
        for (int n = window.lo(); n <= hi; n++) {
            double w = weighted ? 1.0 / n : 1.0;
            sw += w;
            sx += w * Math.log(n);
            sy += w * Math.log(spectrum.eigenvalue(n));
        }
        double xMean = sx / sw;
        double yMean = sy / sw;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int n = window.lo(); n <= hi; n++) {
            double w = weighted ? 1.0 / n : 1.0;
            double dx = Math.log(n) - xMean;
            double dy = Math.log(spectrum.eigenvalue(n)) - yMean;
            sxx += w * dx * dx;
            sxy += w * dx * dy;
            syy += w * dy * dy;
        }
        double slope = sxy / sxx;
        double intercept = yMean - slope * xMean;
        // SS_res = S_yy - S_xy^2 / S_xx for the least-squares line, so R^2 = S_xy^2 / (S_xx S_yy).
        double r2 = syy == 0 ? 1.0 : sxy * sxy / (sxx * syy);
        return new Result(-slope, intercept, r2, window, new Window(window.lo(), hi), points, weighted);
    }

    private static String unfittable(Window window, Spectrum spectrum, int points) {
        int rank = spectrum.rank();
        String need = "; need at least " + MIN_POINTS + " points";
        if (rank == 0) {
            return "fit window " + window + " has 0 positive eigenvalues (rank 0 of width " + spectrum.width()
                    + ": all eigenvalues zero up to rounding or negative)" + need;
        }
        if (rank < window.lo()) {
            return "fit window " + window + " starts beyond the rank: only " + rank + " positive eigenvalues (width "
                    + spectrum.width() + ")" + need;
        }
        return "fit window " + window + " clipped to the " + rank + " positive eigenvalues (width " + spectrum.width()
                + ") leaves " + points + " point" + (points == 1 ? "" : "s") + need;
    }
}
