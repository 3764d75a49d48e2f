package org.manifoldlab.core.nn;

/** How the hidden layers learn. */
public enum TrainingMode {
    /** Every layer learns at once from its own readout's error; no gradient crosses layers. */
    LOCAL,
    /** Greedy: the epochs are split into one phase per layer; in phase k only layer k learns, from its own readout. */
    LAYERWISE,
    /** End to end from the last layer's readout, the baseline. */
    BACKPROP;

    /** The layer that learns in a 1-based epoch under LAYERWISE: layer k owns epochs ((k-1)E/L, kE/L]. */
    public static int layerwiseActiveLayer(int epoch, int totalEpochs, int layers) {
        return Math.min(layers, 1 + (int) ((long) (epoch - 1) * layers / totalEpochs));
    }
}
