package org.manifoldlab.config;

/**
 * @param source       mnist-10k (embedded), fashion-mnist, or idx:/path/to/dir
 * @param testFraction share of samples held out as the test set, for sources without their own split
 * @param probeSamples test samples used by analysis and attacks (fewer if the test set is smaller)
 */
public record DataSpec(String source, double testFraction, int probeSamples) {

    public static final DataSpec DEFAULTS = new DataSpec("mnist-10k", 0.2, 2000);

    void validate(Validation v) {
        v.check(source != null && !source.isBlank(), "data.source", "a data source (mnist-10k, fashion-mnist or idx:/path)", source);
        v.check(testFraction > 0 && testFraction < 1, "data.testFraction", "a fraction strictly between 0 and 1", testFraction);
        v.check(probeSamples >= 1, "data.probeSamples", "a positive integer", probeSamples);
    }
}
