package org.manifoldlab.core.spectrum;

import java.util.List;
import org.manifoldlab.core.Gemm;
import org.manifoldlab.core.seed.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A penalty that pulls a layer's covariance spectrum toward a power law n^-alpha_target, after
 * Nassar et al. 2020 ("On 1/n neural representation and robustness"; their
 * {@code eigen_val_regulate}, josuenassar/power_law, ModelDefs/utils.py, commit 13f8f36).
 *
 * <p>On a batch H [N, width] of a layer's activations, C = Hc^T Hc / (N - 1) with Hc the centred
 * H, eigenvalues lambda_1 >= lambda_2 >= ... The target line passes through the window's first
 * eigenvalue, gamma_n = lambda_lo (lo / n)^alpha, the anchor held constant (no gradient, as the
 * authors' {@code torch.no_grad()} anchor); over the fit window n = lo + 1 .. hi, r_n = lambda_n /
 * gamma_n and
 * <pre>P = (1 / width) sum_n [lambda_n > 0] ((r_n - 1)^2 + max(0, r_n - 1))</pre>
 * which punishes a spectrum above the line (too slow a decay) more than one below. Unlike the
 * authors, who project the batch on eigenvectors computed once per epoch on the whole training
 * set, the eigenvalues here are the batch's own (exact), so the gradient is the exact one:
 * dP/dC = V diag(g) V^T with g_n = dP/dlambda_n (the gradient of a function of the eigenvalues;
 * it does not depend on the basis chosen inside an eigenspace wherever g is equal on it), then
 * dP/dH = (2 / (N - 1)) Hc dP/dC (the centring drops out: the columns of Hc sum to zero).
 *
 * <p>An instance belongs to one layer and keeps its buffers ([N, width] and [width, width], in
 * double, as the authors factor in double).
 */
public final class SpectralPenalty {

    /** The purpose of the stream the penalty batches are drawn from: (seed, PURPOSE, global step). */
    public static final String PURPOSE = "spectral-penalty";

    /**
     * @param layers      the penalised layers, from 1
     * @param targetAlpha the exponent the spectrum is pulled toward
     * @param weight      the penalty's factor in each penalised layer's loss
     * @param everySteps  the penalty joins the global steps that are multiples of this
     * @param batch       training samples in each penalty batch (at least the layer's width)
     * @param fitLo       first rank of the window (the anchor)
     * @param fitHi       last rank of the window; 0 for min(width, batch - 1) / 2
     */
    public record Settings(List<Integer> layers, double targetAlpha, double weight, int everySteps, int batch, int fitLo,
                           int fitHi) {
        public Settings {
            layers = List.copyOf(layers);
            if (everySteps < 1 || batch < 2 || fitLo < 1 || (fitHi != 0 && fitHi <= fitLo) || !(targetAlpha > 0) || !(weight >= 0)) {
                throw new IllegalArgumentException("spectral penalty: need everySteps >= 1, batch >= 2, 1 <= fitLo < fitHi (or fitHi 0),"
                        + " targetAlpha > 0, weight >= 0; got " + this);
            }
        }

        /** Whether the penalty joins global step {@code step} (counted from 1). */
        public boolean appliesAt(long step) {
            return step % everySteps == 0;
        }

        public boolean penalises(int layer) {
            return layers.contains(layer);
        }

        /** The window's last rank for a layer of this width. */
        public int hi(int width) {
            int auto = Math.min(width, batch - 1) / 2;
            return fitHi == 0 ? auto : Math.min(fitHi, Math.min(width, batch - 1));
        }
    }

    /** The penalty and its gradient with respect to each eigenvalue (descending order, as lambda). */
    public record Value(double penalty, double[] dLambda) {
    }

    /**
     * The rows of the training set in the penalty batch of global step {@code step}: the first
     * {@code batch} of a permutation drawn from (seed, PURPOSE, step), so a resumed run draws
     * the same ones.
     */
    public static int[] batchRows(long seed, long step, int trainSize, int batch) {
        if (batch > trainSize) {
            throw new IllegalArgumentException("training.spectralPenalty.batch is " + batch + ", but the training split has only "
                    + trainSize + " samples");
        }
        return java.util.Arrays.copyOf(Seeds.permutation(Seeds.stream(seed, PURPOSE, step), trainSize), batch);
    }

    /** P and dP/dlambda for eigenvalues lambda (descending), with the anchor lambda_lo held at {@code anchor}. */
    public static Value ofEigenvalues(double[] lambda, int lo, int hi, double alpha, int width, double anchor) {
        double[] g = new double[lambda.length];
        double p = 0;
        if (anchor > 0) {
            for (int n = lo + 1; n <= Math.min(hi, lambda.length); n++) {
                double l = lambda[n - 1];
                if (l > 0) {
                    double gamma = anchor * Math.pow((double) lo / n, alpha);
                    double r = l / gamma;
                    p += (r - 1) * (r - 1) + Math.max(0, r - 1);
                    g[n - 1] = (2 * (r - 1) + (r > 1 ? 1 : 0)) / gamma / width;
                }
            }
        }
        return new Value(p / width, g);
    }

    /** V diag(g) V^T, row-major [n, n], for the decomposition's vectors (columns) and g in its order. */
    public static double[] covarianceGradient(Eigenvalues.Decomposition d, double[] g) {
        int n = d.values().length;
        double[] v = d.vectors();
        double[] out = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += v[i * n + k] * g[k] * v[j * n + k];
                }
                out[i * n + j] = s;
            }
        }
        return out;
    }

    private final Settings settings;
    private final int rows;
    private final int width;
    private final int hi;
    private final INDArray hc;
    private final INDArray cov;
    private final INDArray scaled;
    private final INDArray vectors;
    private final INDArray dhc;
    private double last = Double.NaN;

    public SpectralPenalty(Settings settings, int width) {
        if (settings.batch() < width) {
            throw new IllegalArgumentException("training.spectralPenalty.batch is " + settings.batch() + ": it must be at least the"
                    + " penalised layer's width " + width + " (a full-rank covariance)");
        }
        this.settings = settings;
        this.rows = settings.batch();
        this.width = width;
        this.hi = settings.hi(width);
        this.hc = Nd4j.create(DataType.DOUBLE, new long[] {rows, width}, 'f');
        this.cov = Nd4j.create(DataType.DOUBLE, new long[] {width, width}, 'c');
        this.scaled = Nd4j.create(DataType.DOUBLE, new long[] {width, width}, 'c');
        this.vectors = Nd4j.create(DataType.DOUBLE, new long[] {width, width}, 'c');
        this.dhc = Nd4j.create(DataType.DOUBLE, new long[] {rows, width}, 'f');
    }

    /** P at h [batch, width] (the penalty batch's activations); weight * dP/dh is written into dh [batch, width]. */
    public double gradient(INDArray h, INDArray dh) {
        if (h.rows() != rows || h.columns() != width) {
            throw new IllegalArgumentException("penalty batch is " + h.shapeInfoToString() + ", expected [" + rows + ", " + width + "]");
        }
        hc.assign(h);
        hc.subiRowVector(hc.mean(0));
        Gemm.gemm(hc, hc, cov, true, false, 1.0 / (rows - 1), 0.0);  // C = Hc^T Hc / (N - 1)
        Eigenvalues.Decomposition d = Eigenvalues.withVectors(cov.data().asDouble(), width);
        int lo = Math.min(settings.fitLo(), width);
        Value value = ofEigenvalues(d.values(), lo, hi, settings.targetAlpha(), width, d.values()[lo - 1]);
        double[] v = d.vectors();
        double[] vg = new double[v.length];
        for (int i = 0; i < width; i++) {
            for (int k = 0; k < width; k++) {
                vg[i * width + k] = v[i * width + k] * value.dLambda()[k];
            }
        }
        vectors.data().setData(v);
        scaled.data().setData(vg);
        Gemm.gemm(scaled, vectors, cov, false, true, 1.0, 0.0);  // dP/dC = (V diag(g)) V^T
        Gemm.gemm(hc, cov, dhc, false, false, settings.weight() * 2.0 / (rows - 1), 0.0);  // weight dP/dH
        dh.assign(dhc);
        last = value.penalty();
        return last;
    }

    /** The penalty at the last {@link #gradient} call (NaN before the first). */
    public double last() {
        return last;
    }

    public Settings settings() {
        return settings;
    }
}
