package org.manifoldlab.core.attack;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The elementwise kernels of the attacks, each one Java pass over the arrays' off-heap buffers
 * (a batch is about 400k values: one pass costs a fraction of a millisecond, less than the
 * chain of native ops that would do the same; the bench measures both). Arrays: same shape,
 * 'c' order, not views, float or double.
 */
final class Elementwise {

    private Elementwise() {
    }

    /** out = clip(x + scale * d): Gaussian noise (d = xi), the PGD random start (d = u). */
    static void addScaledClipped(INDArray x, INDArray d, double scale, ClipRange clip, INDArray out) {
        int n = checked(x, d, out);
        if (x.dataType() == DataType.FLOAT) {
            FloatBuffer xb = x.data().asNioFloat(), db = d.data().asNioFloat(), ob = out.data().asNioFloat();
            float s = (float) scale, lo = (float) clip.min(), hi = (float) clip.max();
            for (int i = 0; i < n; i++) {
                ob.put(i, Math.min(hi, Math.max(lo, xb.get(i) + s * db.get(i))));
            }
        } else {
            DoubleBuffer xb = x.data().asNioDouble(), db = d.data().asNioDouble(), ob = out.data().asNioDouble();
            double lo = clip.min(), hi = clip.max();
            for (int i = 0; i < n; i++) {
                ob.put(i, Math.min(hi, Math.max(lo, xb.get(i) + scale * db.get(i))));
            }
        }
    }

    /**
     * out = P(y + step * sign(g)), P the projection onto the eps-ball around x intersected with
     * the clip range: [max(x - eps, min), min(x + eps, max)] elementwise (both are boxes, so the
     * projection onto their intersection is one clamp). FGSM is y = x, step = eps; a PGD step has
     * y = the iterate (out may be y). sign(0) = 0.
     */
    static void signStepProjected(INDArray x, INDArray y, INDArray g, double step, double eps, ClipRange clip, INDArray out) {
        int n = checked(x, y, out);
        checked(x, g, out);
        if (x.dataType() == DataType.FLOAT) {
            FloatBuffer xb = x.data().asNioFloat(), yb = y.data().asNioFloat(), gb = g.data().asNioFloat();
            FloatBuffer ob = out.data().asNioFloat();
            float a = (float) step, e = (float) eps, min = (float) clip.min(), max = (float) clip.max();
            for (int i = 0; i < n; i++) {
                float xi = xb.get(i);
                float lo = Math.max(xi - e, min);
                float hi = Math.min(xi + e, max);
                ob.put(i, Math.min(hi, Math.max(lo, yb.get(i) + a * Math.signum(gb.get(i)))));
            }
        } else {
            DoubleBuffer xb = x.data().asNioDouble(), yb = y.data().asNioDouble(), gb = g.data().asNioDouble();
            DoubleBuffer ob = out.data().asNioDouble();
            double min = clip.min(), max = clip.max();
            for (int i = 0; i < n; i++) {
                double xi = xb.get(i);
                double lo = Math.max(xi - eps, min);
                double hi = Math.min(xi + eps, max);
                ob.put(i, Math.min(hi, Math.max(lo, yb.get(i) + step * Math.signum(gb.get(i)))));
            }
        }
    }

    /** Per row r: l2[r] = ||x'_r - x_r||_2 and linf[r] = ||x'_r - x_r||_inf, accumulated in double. */
    static void differenceNorms(INDArray x, INDArray perturbed, double[] l2, double[] linf) {
        checked(x, perturbed, perturbed);
        int rows = (int) x.rows();
        int cols = (int) x.columns();
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
