package org.manifoldlab.core.attack;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.manifoldlab.core.seed.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * L-infinity projected gradient descent on the loss (Madry et al. 2018), the iterative form of
 * FGSM: x_0 = clip(x + eps * u), u ~ U(-1, 1)^d (or x_0 = x without random start), then
 * x_{k+1} = P(x_k + stepSize * sign(grad_x CE(softmax(B_l h_l(x_k)), t))), where P projects onto
 * the eps-ball around x intersected with the clip range, after every step. The result is x_steps.
 *
 * <p>The random start of sample s at layer l comes from the stream (seed, "pgd-start",
 * l * 2^32 + s) and is scaled by eps, so it does not depend on the batching or on the grid.
 * With steps = 1, stepSize = eps and no random start, PGD is FGSM (up to float rounding). A step size of 2.5 eps /
 * steps (Madry's rule of thumb) lets the iterate reach the ball's boundary from any start.
 */
public record Pgd(double eps, double stepSize, int steps, boolean randomStart, LabelTarget labelTarget) implements Attack {

    public static final String PURPOSE = "pgd-start";

    public Pgd {
        Attack.requireStrength("eps", eps);
        Attack.requireStrength("stepSize", stepSize);
        if (steps < 0) {
            throw new IllegalArgumentException("PGD steps must be >= 0, was " + steps);
        }
        if (labelTarget == null) {
            throw new IllegalArgumentException("PGD needs a label target");
        }
    }

    /** Madry's setting: step size 2.5 eps / steps, random start, the true label. */
    public static Pgd standard(double eps, int steps) {
        return new Pgd(eps, 2.5 * eps / steps, steps, true, LabelTarget.LABEL);
    }

    /** u ~ U(-1, 1) for rows first .. first + rows of the probe set, attacked at layer l.  u: [rows, features]. */
    public static void drawStart(long seed, int layer, int first, INDArray u) {
        int rows = u.rows();
        int cols = u.columns();
        boolean isFloat = u.dataType() == DataType.FLOAT;
        FloatBuffer f = isFloat ? u.data().asNioFloat() : null;
        DoubleBuffer d = isFloat ? null : u.data().asNioDouble();
        for (int r = 0; r < rows; r++) {
            SplittableRandom random = Seeds.stream(seed, PURPOSE, ((long) layer << 32) + first + r);
            for (int c = 0, i = r * cols; c < cols; c++, i++) {
                double v = random.nextDouble(-1.0, 1.0);
                if (isFloat) {
                    f.put(i, (float) v);
                } else {
                    d.put(i, v);
                }
            }
        }
    }

    /**
     * x_steps into out.  x, u, grad, out: [rows, features], out none of the others; u from
     * {@link #drawStart} (unused without random start); grad is scratch. targets: [rows], the
     * labels the loss is taken at. gradient drives the frozen network (its buffers are overwritten).
     */
    public void perturb(InputGradient gradient, int layer, INDArray x, int[] targets, INDArray u, ClipRange clip,
            INDArray grad, INDArray out) {
        if (randomStart) {
            Elementwise.addScaledClipped(x, u, eps, clip, out);
        } else {
            out.assign(x);
        }
        for (int k = 0; k < steps; k++) {
            gradient.compute(out, layer, targets, grad);
            Elementwise.projectedSignStep(x, out, grad, stepSize, eps, clip, out);
        }
    }

    @Override
    public String name() {
        return "pgd";
    }

    @Override
    public double strength() {
        return eps;
    }

    @Override
    public boolean perLayer() {
        return true;
    }

    @Override
    public String target() {
        return labelTarget.key();
    }

    @Override
    public String describe() {
        return "pgd eps=" + eps + " stepSize=" + stepSize + " steps=" + steps + " randomStart=" + randomStart
                + " target=" + target();
    }

    @Override
    public Pgd withStrength(double strength) {
        return new Pgd(strength, stepSize, steps, randomStart, labelTarget);
    }
}
