package org.manifoldlab.core.nn;

import org.manifoldlab.core.spectrum.SpectralPenalty;

/**
 * What each hidden layer learns from: its local loss, predsim's beta, and the spectral penalty
 * (null when off).
 */
public record LearningRules(LocalLoss loss, double beta, SpectralPenalty.Settings penalty) {

    /** Cross-entropy through a fixed random readout, no penalty: the system's default. */
    public static final LearningRules DEFAULT = new LearningRules(LocalLoss.FIXED_READOUT, 0.99, null);

    public LearningRules {
        if (!(beta >= 0 && beta <= 1)) {
            throw new IllegalArgumentException("predsim's beta must lie in [0, 1], got " + beta);
        }
    }

    /** The highest penalised layer, or 0 without a penalty: the penalty batch goes forward up to it. */
    public int penaltyDepth() {
        return penalty == null ? 0 : penalty.layers().stream().mapToInt(Integer::intValue).max().orElse(0);
    }
}
