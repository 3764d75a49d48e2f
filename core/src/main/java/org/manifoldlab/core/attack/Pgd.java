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
 * With restarts k > 1 the attack is run from k random starts and a sample counts as robust
 * only if no restart fools the readout ({@link Attacker}).
 * With steps = 1, stepSize = eps and no random start, PGD is FGSM (up to float rounding). A step size of 2.5 eps /
 * steps (Madry's rule of thumb) lets the iterate reach the ball's boundary from any start.
 */
public record Pgd(double eps, double stepSize, int steps, boolean randomStart, LabelTarget labelTarget, int restarts) implements Attack {

    public static final String PURPOSE = "pgd-start";
    /** Starts of restarts 2..k: (seed, "pgd-restart", restart * 2^48 + layer * 2^32 + s). */
    public static final String RESTART_PURPOSE = "pgd-restart";

    /** One run from one start. */
    public Pgd(double eps, double stepSize, int steps, boolean randomStart, LabelTarget labelTarget) {
        this(eps, stepSize, steps, randomStart, labelTarget, 1);
    }

    public Pgd {
        if (restarts < 1 || (restarts > 1 && !randomStart)) {
            throw new IllegalArgumentException("PGD restarts must be >= 1, and > 1 only with a random start; was " + restarts);
        }
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

    /**
     * The start of restart r (from 0; restart 0 is {@link #drawStart(long, int, int, INDArray)}),
     * so one run's starts do not change when restarts are added.
     */
    public static void drawStart(long seed, int restart, int layer, int first, INDArray u) {
        if (restart == 0) {
            drawStart(seed, layer, first, u);
        } else {
            draw(seed, RESTART_PURPOSE, ((long) restart << 48) + ((long) layer << 32) + first, u);
        }
    }

    /** u ~ U(-1, 1) for rows first .. first + rows of the probe set, attacked at layer l.  u: [rows, features]. */
    public static void drawStart(long seed, int layer, int first, INDArray u) {
        draw(seed, PURPOSE, ((long) layer << 32) + first, u);
    }

    /** Row r from the stream (seed, purpose, base + r).  u: [rows, features]. */
    private static void draw(long seed, String purpose, long base, INDArray u) {
        int rows = u.rows();
        int cols = u.columns();
        boolean isFloat = u.dataType() == DataType.FLOAT;
        FloatBuffer f = isFloat ? u.data().asNioFloat() : null;
        DoubleBuffer d = isFloat ? null : u.data().asNioDouble();
        for (int r = 0; r < rows; r++) {
            SplittableRandom random = Seeds.stream(seed, purpose, base + r);
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
                + " target=" + target() + (restarts > 1 ? " restarts=" + restarts : "");
    }

    @Override
    public Pgd withStrength(double strength) {
        return new Pgd(strength, stepSize, steps, randomStart, labelTarget, restarts);
    }
}
