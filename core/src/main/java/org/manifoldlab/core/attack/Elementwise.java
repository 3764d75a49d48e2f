package org.manifoldlab.core.attack;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMax;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMin;
import org.nd4j.linalg.api.ops.impl.transforms.same.Sign;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The elementwise kernels of the attacks. A batch is about 400k values. The perturbations are
 * chains of in-place ND4J ops (about 1 ms for FGSM's four ops at 500 rows, on both cores): a
 * Java pass over the buffers took 3 ms, held back by the data-dependent branches of sign and
 * clip. The norms, branch-free, are one Java pass in double (0.5 ms, against 1.2 ms for ND4J's
 * subtraction and two reductions). The bench's AttackBenchmark measures both.
 * Arrays: same shape, 'c' order, not views, float or double.
 */
final class Elementwise {

    private Elementwise() {
    }

    /** out = clip(x + scale * d): Gaussian noise (d = xi), the PGD random start (d = u). out is neither x nor d. */
    static void addScaledClipped(INDArray x, INDArray d, double scale, ClipRange clip, INDArray out) {
        checked(x, d, out);
        d.mul(scale, out);
        out.addi(x);
        clamp(out, clip.min(), clip.max());
    }

    /** out = x + scale * d: unclipped Gaussian noise. out is neither x nor d. */
    static void addScaled(INDArray x, INDArray d, double scale, INDArray out) {
        checked(x, d, out);
        d.mul(scale, out);
        out.addi(x);
    }

    /** out = clip(x + eps * sign(g)): FGSM. sign(0) = 0. out is neither x nor g; g is left as it was. */
    static void signStep(INDArray x, INDArray g, double eps, ClipRange clip, INDArray out) {
        checked(x, g, out);
        Nd4j.exec(new Sign(g, out));
        out.muli(eps);
        out.addi(x);
        clamp(out, clip.min(), clip.max());
    }

    /**
     * out = P(y + step * sign(g)): a PGD step from the iterate y (out may be y), where P projects
     * onto the eps-ball around x intersected with the clip range. Both are boxes, so P is
     * x + clamp(v - x, -eps, eps) followed by the clip. g is overwritten (used as scratch).
     */
    static void projectedSignStep(INDArray x, INDArray y, INDArray g, double step, double eps, ClipRange clip, INDArray out) {
        checked(x, y, out);
        checked(x, g, out);
        Nd4j.exec(new Sign(g, g));
        g.muli(step);
        g.addi(y);
        g.subi(x);
        clamp(g, -eps, eps);
        g.add(x, out);
        clamp(out, clip.min(), clip.max());
    }

    /** a = min(max(a, lo), hi) in place. */
    private static void clamp(INDArray a, double lo, double hi) {
        Nd4j.exec(new ScalarMax(a, null, a, lo));
        Nd4j.exec(new ScalarMin(a, null, a, hi));
    }

    /** Per row r: l2[r] = ||x'_r - x_r||_2 and linf[r] = ||x'_r - x_r||_inf, accumulated in double. */
    static void differenceNorms(INDArray x, INDArray perturbed, double[] l2, double[] linf) {
        checked(x, perturbed, perturbed);
        int rows = x.rows();
        int cols = x.columns();
        boolean isFloat = x.dataType() == DataType.FLOAT;
        FloatBuffer xf = isFloat ? x.data().asNioFloat() : null, pf = isFloat ? perturbed.data().asNioFloat() : null;
        DoubleBuffer xd = isFloat ? null : x.data().asNioDouble(), pd = isFloat ? null : perturbed.data().asNioDouble();
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            double max = 0;
            for (int c = 0, i = r * cols; c < cols; c++, i++) {
                double d = isFloat ? (double) pf.get(i) - xf.get(i) : pd.get(i) - xd.get(i);
                sum += d * d;
                max = Math.max(max, Math.abs(d));
            }
            l2[r] = Math.sqrt(sum);
            linf[r] = max;
        }
    }

    /** Whether two arrays hold the same values bit for bit (same shape, order and type). */
    static boolean identical(INDArray a, INDArray b) {
        int n = checked(a, b, b);
        if (a.dataType() == DataType.FLOAT) {
            FloatBuffer ab = a.data().asNioFloat(), bb = b.data().asNioFloat();
            for (int i = 0; i < n; i++) {
                if (Float.floatToRawIntBits(ab.get(i)) != Float.floatToRawIntBits(bb.get(i))) {
                    return false;
                }
            }
        } else {
            DoubleBuffer ab = a.data().asNioDouble(), bb = b.data().asNioDouble();
            for (int i = 0; i < n; i++) {
                if (Double.doubleToRawLongBits(ab.get(i)) != Double.doubleToRawLongBits(bb.get(i))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static int checked(INDArray a, INDArray b, INDArray c) {
        for (INDArray m : new INDArray[] {a, b, c}) {
            if (m.ordering() != 'c' || m.isView() || m.dataType() != a.dataType()
                    || !java.util.Arrays.equals(m.shape(), a.shape())) {
                throw new IllegalArgumentException("attack arrays must be 'c'-ordered, not views, of one shape and type: "
                        + m.shapeInfoToString() + " vs " + a.shapeInfoToString());
            }
        }
        if (a.dataType() != DataType.FLOAT && a.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("attacks work on float or double arrays, not " + a.dataType());
        }
        return (int) a.length();
    }
}
