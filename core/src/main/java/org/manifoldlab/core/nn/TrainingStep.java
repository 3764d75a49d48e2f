package org.manifoldlab.core.nn;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One training step of a whole network on one batch, in any mode. The plain loop and the
 * single-stage actor trainer both call this, so they compute the same thing.
 */
public final class TrainingStep {

    /** Receives each layer's loss and accuracy on the batch, measured before its update. */
    @FunctionalInterface
    public interface Report {
        void layer(int layer, SoftmaxCrossEntropy.Tally tally);
    }

    private TrainingStep() {
    }

    /**
     * @param layers all layers of the network, layer 1 first
     * @param active the learning layer under LAYERWISE (ignored otherwise)
     */
    public static void run(TrainingMode mode, List<LocalLayer> layers, INDArray x, int[] labels, int active, Report report) {
        run(mode, layers, x, labels, active, null, report);
    }

    /**
     * @param penaltyX the spectral penalty's batch at a step the penalty joins, else null (local mode only)
     */
    public static void run(TrainingMode mode, List<LocalLayer> layers, INDArray x, int[] labels, int active, INDArray penaltyX,
                           Report report) {
        if (penaltyX != null && mode != TrainingMode.LOCAL) {
            throw new IllegalArgumentException("the spectral penalty runs in local mode only, not " + mode);
        }
        switch (mode) {
            case LOCAL -> local(layers, x, labels, penaltyX, report);
            case LAYERWISE -> layerwise(layers, x, labels, active, report);
            case BACKPROP -> backprop(layers, x, labels, report);
        }
    }

    /**
     * Every layer: forward with its current weights (and the penalty batch, up to the highest
     * penalised layer), then its local update.
     */
    private static void local(List<LocalLayer> layers, INDArray x, int[] labels, INDArray penaltyX, Report report) {
        for (LocalLayer layer : layers) {
            layer.forward(x);
            if (penaltyX != null && layer.feedsPenalty()) {
                penaltyX = layer.forwardPenaltyBatch(penaltyX);
            }
            report.layer(layer.index(), layer.learnLocally(x, labels));
            x = layer.output();
        }
    }

    /** Layers below the active one are frozen; the active one learns locally; those above wait. */
    private static void layerwise(List<LocalLayer> layers, INDArray x, int[] labels, int active, Report report) {
        for (int l = 1; l < active; l++) {
            x = layers.get(l - 1).forward(x);
        }
        LocalLayer layer = layers.get(active - 1);
        layer.forward(x);
        report.layer(active, layer.learnLocally(x, labels));
    }

    /**
     * Forward through all layers; the last readout's error flows back through every layer and
     * trains the last readout itself.
     */
    private static void backprop(List<LocalLayer> layers, INDArray x, int[] labels, Report report) {
        int depth = layers.size();
        if (!layers.get(depth - 1).readoutTrained()) {
            throw new IllegalArgumentException("backprop trains the output readout: create the network with TrainingMode.BACKPROP");
        }
        INDArray h = x;
        for (LocalLayer layer : layers) {
            h = layer.forward(h);
        }
        for (int l = 1; l < depth; l++) {
            report.layer(l, layers.get(l - 1).readoutLoss(labels, false));
        }
        report.layer(depth, layers.get(depth - 1).readoutLoss(labels, true));
        for (int l = depth; l >= 1; l--) {
            LocalLayer layer = layers.get(l - 1);
            INDArray input = l == 1 ? x : layers.get(l - 2).output();
            INDArray dx = l == 1 ? null : layers.get(l - 2).gradientBuffer();
            layer.backward(input, dx);
            layer.update();
        }
    }
}
