package org.manifoldlab.config;

/**
 * When training stops before {@code training.epochs}, which is then a maximum. The rule, fixed
 * before any data is seen: after every epoch the monitored validation accuracy (on
 * {@code data.validationFraction} of the training set) is compared with the best it reached at
 * any earlier epoch; training stops after the first epoch that ends {@code patience} epochs in a
 * row without an improvement. The test set plays no part in it.
 *
 * @param patience epochs without an improvement before training stops; 0 turns the rule off
 * @param monitor  what must improve: mean (the default), the mean over the layers of their
 *                 validation accuracies, one number for the network; or any-layer, some layer's
 *                 accuracy beating that layer's own best (with five layers one of them almost
 *                 always does, so this rule rarely stops)
 */
public record EarlyStoppingSpec(int patience, Monitor monitor) {

    public static final EarlyStoppingSpec DEFAULTS = new EarlyStoppingSpec(0, Monitor.MEAN);

    public enum Monitor implements SpecEnum { MEAN, ANY_LAYER }

    public boolean enabled() {
        return patience > 0;
    }

    void validate(Validation v) {
        v.check(patience >= 0, "training.earlyStopping.patience", "0 (off) or a positive integer", patience);
    }
}
