package org.manifoldlab.config;

import java.util.List;

/**
 * @param mode           local (every layer from its own error), layerwise (greedy, one layer per phase) or backprop
 * @param epochs         passes over the training set (layerwise: split evenly over the layers)
 * @param batchSize      samples per step
 * @param optimizer      the update rule
 * @param pipelineWindow batches in flight at once in the actor pipeline
 * @param localLoss      how each hidden layer learns in local and layerwise modes: fixed-readout (the
 *                       default), trained-readout, pred, sim or predsim (Nokland and Eidnes 2019)
 * @param predsimBeta    predsim's weight of sim: (1 - beta) pred + beta sim
 * @param spectralPenalty a penalty pulling chosen layers' spectra toward n^-targetAlpha (off: no layers)
 * @param earlyStopping  when training stops before {@code epochs} (off by default)
 */
public record TrainingSpec(Mode mode, int epochs, int batchSize, OptimizerSpec optimizer, int pipelineWindow,
                           LocalLoss localLoss, double predsimBeta, SpectralPenalty spectralPenalty, EarlyStoppingSpec earlyStopping) {

    public static final TrainingSpec DEFAULTS = new TrainingSpec(Mode.LOCAL, 10, 64, OptimizerSpec.DEFAULTS, 4,
            LocalLoss.FIXED_READOUT, 0.99, SpectralPenalty.DEFAULTS, EarlyStoppingSpec.DEFAULTS);

    public enum Mode implements SpecEnum { LOCAL, LAYERWISE, BACKPROP }

    /** Written fixed-readout, trained-readout, pred, sim, predsim. */
    public enum LocalLoss implements SpecEnum { FIXED_READOUT, TRAINED_READOUT, PRED, SIM, PREDSIM }

    /**
     * Nassar et al. 2020: every everySteps global steps, the penalised layers add weight times the
     * penalty on their spectrum over the fit window (analysis.fitRanks, else 10 .. min(width,
     * batch - 1)/2) of an extra batch of {@code batch} training samples drawn from the seed.
     *
     * @param layers the penalised layers (empty: off)
     */
    public record SpectralPenalty(List<Integer> layers, double targetAlpha, double weight, int everySteps, int batch) {
        public static final SpectralPenalty DEFAULTS = new SpectralPenalty(List.of(), 1.0, 1.0, 10, 1000);

        public boolean on() {
            return !layers.isEmpty();
        }
    }

    /** The rules and the penalty against the network (they need its widths) and the mode. */
    void validateRules(Validation v, NetworkSpec network) {
        v.check(predsimBeta >= 0 && predsimBeta <= 1, "training.predsimBeta", "a number in [0, 1]", predsimBeta);
        if (mode == Mode.BACKPROP) {
            v.check(localLoss == LocalLoss.FIXED_READOUT, "training.localLoss",
                    "fixed-readout in backprop mode (the rules are for local and layerwise training)", localLoss.key());
        }
        if (!spectralPenalty.on()) {
            return;
        }
        v.check(mode == Mode.LOCAL, "training.spectralPenalty", "local mode (the penalty is a local error)", mode.key());
        v.check(spectralPenalty.targetAlpha() > 0 && Double.isFinite(spectralPenalty.targetAlpha()),
                "training.spectralPenalty.targetAlpha", "a positive number", spectralPenalty.targetAlpha());
        v.check(spectralPenalty.weight() >= 0 && Double.isFinite(spectralPenalty.weight()),
                "training.spectralPenalty.weight", "a number >= 0", spectralPenalty.weight());
        v.check(spectralPenalty.everySteps() >= 1, "training.spectralPenalty.everySteps", "a positive integer",
                spectralPenalty.everySteps());
        for (int i = 0; i < spectralPenalty.layers().size(); i++) {
            int layer = spectralPenalty.layers().get(i);
            String path = "training.spectralPenalty.layers[" + i + "]";
            if (layer < 1 || layer > network.depth()) {
                v.error(path, "a layer in 1.." + network.depth(), layer);
            } else {
                v.check(spectralPenalty.batch() >= network.widths().get(layer - 1), "training.spectralPenalty.batch",
                        "at least the width of penalised layer " + layer + " (" + network.widths().get(layer - 1) + ")",
                        spectralPenalty.batch());
            }
        }
    }

    void validate(Validation v, int depth) {
        v.check(epochs >= 1, "training.epochs", "a positive integer", epochs);
        v.check(batchSize >= 1, "training.batchSize", "a positive integer", batchSize);
        v.check(pipelineWindow >= 1, "training.pipelineWindow", "a positive integer", pipelineWindow);
        if (mode == Mode.LAYERWISE && depth >= 1) {
            v.check(epochs >= depth, "training.epochs", "at least one epoch per layer in layerwise mode (" + depth + ")", epochs);
        }
        optimizer.validate(v);
        earlyStopping.validate(v);
        if (earlyStopping.enabled() && mode == Mode.LAYERWISE) {
            v.error("training.earlyStopping.patience", "0 in layerwise mode (its layers are trained one after another, so their validation accuracies do not improve together)", earlyStopping.patience());
        }
    }
}
