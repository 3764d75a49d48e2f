package org.manifoldlab.config;

import java.util.List;

/**
 * The perturbation grids, evaluated at every analysis point (at: every, the default) or only at
 * the run's last one (at: last; the grids cost most of an analysis, and a run analysed every epoch
 * for its training-time axis needs only clean accuracy and spectra on the way).
 */
public record AttacksSpec(Gaussian gaussian, Fgsm fgsm, Pgd pgd, At at) {

    public static final AttacksSpec DEFAULTS = new AttacksSpec(Gaussian.DEFAULTS, Fgsm.DEFAULTS, Pgd.DEFAULTS, At.EVERY);

    public enum At implements SpecEnum { EVERY, LAST }

    /**
     * x' = clip(x + sigma xi), xi ~ N(0, I); with clip false, x' = x + sigma xi (on MNIST's zero
     * background clipping removes the negative half of the noise).
     */
    public record Gaussian(List<Double> sigmas, boolean clip) {
        public static final Gaussian DEFAULTS = new Gaussian(List.of(0.0, 0.1, 0.2, 0.3, 0.5, 1.0), true);
    }

    /** x' = clip(x + eps sign(grad_x CE)); target: the true label, or the network's prediction. */
    public record Fgsm(List<Double> epsilons, Target target) {
        public static final Fgsm DEFAULTS = new Fgsm(List.of(0.0, 0.02, 0.05, 0.1, 0.2, 0.3), Target.LABEL);
    }

    /**
     * L-infinity projected gradient descent; an empty epsilons list turns it off. restarts: runs
     * from independent random starts; a probe is robust only if every run fails to fool it.
     */
    public record Pgd(List<Double> epsilons, int steps, double stepSize, boolean randomStart, int restarts) {
        public static final Pgd DEFAULTS = new Pgd(List.of(0.1), 10, 0.025, true, 1);  // Madry et al.: 2.5 eps / steps
    }

    public enum Target implements SpecEnum { LABEL, PREDICTION }

    void validate(Validation v) {
        nonNegative(v, "attacks.gaussian.sigmas", gaussian.sigmas());
        nonNegative(v, "attacks.fgsm.epsilons", fgsm.epsilons());
        nonNegative(v, "attacks.pgd.epsilons", pgd.epsilons());
        v.check(pgd.steps() >= 1, "attacks.pgd.steps", "a positive integer", pgd.steps());
        v.check(pgd.stepSize() > 0 && Double.isFinite(pgd.stepSize()), "attacks.pgd.stepSize", "a positive finite number", pgd.stepSize());
        v.check(pgd.restarts() >= 1, "attacks.pgd.restarts", "a positive integer", pgd.restarts());
        v.check(pgd.restarts() <= 1 || pgd.randomStart(), "attacks.pgd.restarts", "1 without a random start (every restart would "
                + "start from x)", pgd.restarts());
    }

    private static void nonNegative(Validation v, String path, List<Double> values) {
        for (int i = 0; i < values.size(); i++) {
            v.check(values.get(i) >= 0 && Double.isFinite(values.get(i)), path + "[" + i + "]", "a non-negative number", values.get(i));
        }
    }
}
