package org.manifoldlab.config;

/**
 * @param mode           local (every layer from its own error), layerwise (greedy, one layer per phase) or backprop
 * @param epochs         passes over the training set (layerwise: split evenly over the layers)
 * @param batchSize      samples per step
 * @param optimizer      the update rule
 * @param pipelineWindow batches in flight at once in the actor pipeline
 * @param earlyStopping  when training stops before {@code epochs} (off by default)
 */
public record TrainingSpec(Mode mode, int epochs, int batchSize, OptimizerSpec optimizer, int pipelineWindow,
                           EarlyStoppingSpec earlyStopping) {

    public static final TrainingSpec DEFAULTS = new TrainingSpec(Mode.LOCAL, 10, 64, OptimizerSpec.DEFAULTS, 4,
            EarlyStoppingSpec.DEFAULTS);

    public enum Mode implements SpecEnum { LOCAL, LAYERWISE, BACKPROP }

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
            v.error("training.earlyStopping.patience", "0 in layerwise mode (its layers are trained one after another, so \"no layer improved\" says nothing)", earlyStopping.patience());
        }
    }
}
