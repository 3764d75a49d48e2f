package org.manifoldlab.core.attack;

/** Which label a gradient attack pushes away from. */
public enum LabelTarget {
    /** The true label y (the default, as in Goodfellow et al. 2015). */
    LABEL,
    /**
     * The attacked readout's own prediction on the clean input: avoids "label leaking" (the
     * true label steering the attack) and needs no labels; differs from LABEL only on samples
     * the readout already gets wrong. Those count as wrong in {@link RobustnessRecord#robustAccuracy()}
     * whatever the attack does, so the two targets give the same robust accuracy; they differ in
     * {@link RobustnessRecord#accuracy()} (right on x' alone) and in the norms.
     */
    PREDICTION;

    /** The spec's spelling: label | prediction. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
