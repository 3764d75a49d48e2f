package org.manifoldlab.core.attack;

/**
 * Accuracy of layer l's readout under one attack at one strength, over a whole probe set: one
 * row of robustness.csv, with what produced it.
 *
 * @param layer              from 1
 * @param attack             the attack and all its parameters (name, strength, target, PGD steps...)
 * @param accuracy           the standard accuracy under attack: the fraction of probes the
 *                           readout classifies correctly on the perturbed input
 * @param robustAccuracy     the fraction classified correctly both clean and perturbed (robust
 *                           accuracy as AutoAttack and RobustBench define it): a sample already
 *                           wrong counts as wrong, so it never exceeds the clean accuracy
 * @param linf               the largest per-sample ||x' - x||_inf over the probes, as measured
 * @param l2                 the mean per-sample ||x' - x||_2, as measured
 * @param samples            the number of probes
 * @param clip               the range x' was clipped to
 * @param seed               the seed of the random streams (noise, PGD starts)
 */
public record RobustnessRecord(int layer, Attack attack, double accuracy, double robustAccuracy, double linf,
        double l2, long samples, ClipRange clip, long seed) {

    /** gaussian | fgsm | pgd */
    public String attackName() {
        return attack.name();
    }

    /** sigma or eps */
    public double strength() {
        return attack.strength();
    }

    /** label | prediction | none */
    public String target() {
        return attack.target();
    }
}
