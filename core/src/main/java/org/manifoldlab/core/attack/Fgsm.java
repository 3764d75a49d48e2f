package org.manifoldlab.core.attack;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fast gradient sign method (Goodfellow et al. 2015): one step to the corner of the
 * L-infinity ball, x' = clip(x + eps * sign(grad_x CE(softmax(B_l h_l(x)), t))), with t the
 * true label (default) or the readout's clean prediction. Deterministic: no random stream.
 */
public record Fgsm(double eps, LabelTarget labelTarget) implements Attack {

    public Fgsm {
        Attack.requireStrength("eps", eps);
        if (labelTarget == null) {
            throw new IllegalArgumentException("FGSM needs a label target");
        }
    }

    public Fgsm(double eps) {
        this(eps, LabelTarget.LABEL);
    }

    /** out = clip(x + eps * sign(grad)).  x, grad, out: [rows, features]; grad from {@link InputGradient}. */
    public void perturb(INDArray x, INDArray grad, ClipRange clip, INDArray out) {
        Elementwise.signStep(x, grad, eps, clip, out);
    }

    @Override
    public String name() {
        return "fgsm";
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
        return "fgsm eps=" + eps + " target=" + target();
    }

    @Override
    public Fgsm withStrength(double strength) {
        return new Fgsm(strength, labelTarget);
    }
}
