package org.manifoldlab.core.attack;

/**
 * One attack at one strength: a description, with the formula of its perturbation. The work
 * (gradients, buffers, random streams) is done by an {@link Attacker}; the accuracy under
 * attack is tallied by an {@link AttackEvaluator}, so perturbing and tallying stay separable.
 * A perturbed batch depends only on (seed, attack, strength, layer, the batch's samples) and
 * the frozen network, so workers that split the probe set produce the same batches (bit for
 * bit under the same BLAS thread count: OpenBLAS rounds a gemm split over two threads
 * differently than over one).
 */
public sealed interface Attack permits GaussianNoise, Fgsm, Pgd {

    /** gaussian | fgsm | pgd: the attack column of robustness.csv. */
    String name();

    /** sigma for Gaussian noise, eps for FGSM and PGD. */
    double strength();

    /**
     * Whether x' depends on the attacked layer: gradient attacks attack layer l's readout
     * B_l h_l(x); Gaussian noise is the same input for every layer, so one noisy batch is
     * tallied at every readout.
     */
    boolean perLayer();

    /** label | prediction for gradient attacks, none for noise. */
    String target();

    /** The attack's parameters, for records: "fgsm eps=0.1 target=label". */
    String describe();

    /** The same attack at another strength. */
    Attack withStrength(double strength);

    static void requireStrength(String what, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(what + " must be a finite number >= 0, was " + value);
        }
    }
}
