package org.manifoldlab.config;

import java.util.List;

/**
 * @param everyEpochs analyse after every this many epochs (and always after the last)
 * @param fitRanks    the rank window [lo, hi] of the power-law fit (clipped to the positive eigenvalues)
 * @param manifoldDim d in the smoothness threshold 1 + 2/d (Infinity: threshold 1)
 * @param linearProbe a softmax readout trained on each frozen layer after the last epoch
 */
public record AnalysisSpec(int everyEpochs, List<Integer> fitRanks, double manifoldDim, LinearProbe linearProbe) {

    public static final AnalysisSpec DEFAULTS = new AnalysisSpec(1, List.of(10, 500), Double.POSITIVE_INFINITY, LinearProbe.DEFAULTS);

    /**
     * Linear probes (Alain and Bengio 2016), off by default: they cost about one forward pass of
     * the training split per probe epoch. Adam at learningRate, batch order from the seed.
     */
    public record LinearProbe(boolean enabled, int epochs, int batchSize, double learningRate) {
        public static final LinearProbe DEFAULTS = new LinearProbe(false, 5, 64, 0.001);
    }

    public int fitLo() {
        return fitRanks.get(0);
    }

    public int fitHi() {
        return fitRanks.get(1);
    }

    void validate(Validation v) {
        v.check(everyEpochs >= 1, "analysis.everyEpochs", "a positive integer", everyEpochs);
        if (fitRanks.size() != 2) {
            v.error("analysis.fitRanks", "two ranks [lo, hi]", fitRanks);
        } else {
            v.check(fitRanks.get(0) >= 1, "analysis.fitRanks[0]", "a rank of at least 1", fitRanks.get(0));
            v.check(fitRanks.get(0) < fitRanks.get(1), "analysis.fitRanks", "lo < hi", fitRanks);
        }
        v.check(manifoldDim > 0, "analysis.manifoldDim", "a positive number or .inf", manifoldDim);
        v.check(linearProbe.epochs() >= 1, "analysis.linearProbe.epochs", "a positive integer", linearProbe.epochs());
        v.check(linearProbe.batchSize() >= 1, "analysis.linearProbe.batchSize", "a positive integer", linearProbe.batchSize());
        v.check(linearProbe.learningRate() > 0 && Double.isFinite(linearProbe.learningRate()), "analysis.linearProbe.learningRate",
                "a positive number", linearProbe.learningRate());
    }
}
