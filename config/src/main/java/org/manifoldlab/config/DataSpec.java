package org.manifoldlab.config;

/**
 * @param source             mnist-10k (embedded), fashion-mnist, or idx:/path/to/dir
 * @param testFraction       share of samples held out as the test set, for sources without their own split
 * @param probeSamples       test samples used by analysis and attacks (fewer if the test set is smaller)
 * @param validationFraction share of the training set held out (by a seeded shuffle) as a validation set,
 *                           evaluated after every epoch and used by {@code training.earlyStopping}; 0 (the
 *                           default) keeps the whole training set for training
 */
public record DataSpec(String source, double testFraction, int probeSamples, double validationFraction) {

    public static final DataSpec DEFAULTS = new DataSpec("mnist-10k", 0.2, 2000, 0.0);

    void validate(Validation v) {
        v.check(source != null && !source.isBlank(), "data.source", "a data source (mnist-10k, fashion-mnist or idx:/path)", source);
        v.check(testFraction > 0 && testFraction < 1, "data.testFraction", "a fraction strictly between 0 and 1", testFraction);
        v.check(probeSamples >= 1, "data.probeSamples", "a positive integer", probeSamples);
        v.check(validationFraction >= 0 && validationFraction < 1, "data.validationFraction",
                "0 (no validation set) or a fraction strictly between 0 and 1", validationFraction);
    }
}
