package org.manifoldlab.config;

/**
 * When training stops before {@code training.epochs}, which is then a maximum. The rule, fixed
 * before any data is seen: after every epoch each layer's accuracy on the validation set
 * ({@code data.validationFraction}) is compared with the best that layer reached at any earlier
 * epoch; training stops after the first epoch that ends {@code patience} epochs in a row in
 * which no layer improved on its best. The test set plays no part in it.
 *
 * @param patience epochs without any layer's validation accuracy improving before training stops; 0 turns the rule off
 */
public record EarlyStoppingSpec(int patience) {

    public static final EarlyStoppingSpec DEFAULTS = new EarlyStoppingSpec(0);

    public boolean enabled() {
        return patience > 0;
    }

    void validate(Validation v) {
        v.check(patience >= 0, "training.earlyStopping.patience", "0 (off) or a positive integer", patience);
    }
}
