package org.manifoldlab.core.nn;

/**
 * How a hidden layer learns from its own error (spec: {@code training.localLoss}). Every rule
 * trains only the layer's W and b (and its readout, where the rule trains one); no gradient
 * crosses layers. The readout B_l is what analyses and attacks read the layer through.
 */
public enum LocalLoss {
    /** CE(softmax(h B), y) through a fixed random readout B (Mostafa et al. 2018): the default. */
    FIXED_READOUT,
    /** The same loss, with B learning too from its random draw. */
    TRAINED_READOUT,
    /**
     * Nokland and Eidnes 2019, "pred": the CE of a trained linear classifier; B starts at zero, as
     * the authors' decoder_y weights do (anokland/local-loss, train.py, LocalLossBlockLinear).
     */
    PRED,
    /**
     * Nokland and Eidnes 2019, "sim": mean squared distance between the similarity matrices of the
     * batch's h and of its one-hot labels ({@link SimilarityMatching}). B stays the fixed random
     * readout: it learns nothing, so the layer's readout accuracy means nothing (use linear probes).
     */
    SIM,
    /** (1 - beta) pred + beta sim, B trained from zero (authors' default beta 0.99). */
    PREDSIM;

    /** Whether B learns under this rule. */
    public boolean trainsReadout() {
        return this == TRAINED_READOUT || this == PRED || this == PREDSIM;
    }

    /** Whether B starts at zero rather than at its random draw. */
    public boolean readoutFromZero() {
        return this == PRED || this == PREDSIM;
    }
}
