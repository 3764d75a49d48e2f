package org.manifoldlab.config;

import java.util.List;

/**
 * @param everyEpochs     analyse after every this many epochs (and always after the last)
 * @param fitRanks        the rank window [lo, hi] of the power-law fit (clipped to the positive
 *                        eigenvalues); empty (the default) for the automatic window 10 .. rank/2
 * @param method          ols (least squares in log-log) or weighted (1/n weights, Stringer et al. 2019)
 * @param intervals       when the jackknife intervals and the layers' intrinsic dimensions are
 *                        computed: last (the last analysis of a run), every, or never
 * @param jackknifeBlocks probe blocks of the delete-a-group jackknife
 * @param manifoldDim     d in the smoothness threshold 1 + 2/d (Infinity: threshold 1); NaN,
 *                        written "auto" (the default): the input probes' TwoNN estimate
 * @param linearProbe     a softmax readout trained on each frozen layer after the last epoch
 */
public record AnalysisSpec(int everyEpochs, List<Integer> fitRanks, Method method, Intervals intervals, int jackknifeBlocks,
                           double manifoldDim, LinearProbe linearProbe) {

    public static final AnalysisSpec DEFAULTS = new AnalysisSpec(1, List.of(), Method.OLS, Intervals.LAST, 20, Double.NaN,
            LinearProbe.DEFAULTS);

    public enum Method implements SpecEnum { OLS, WEIGHTED }

    public enum Intervals implements SpecEnum { LAST, EVERY, NEVER }

    /**
     * Linear probes (Alain and Bengio 2016), off by default: they cost about one forward pass of
     * the training split per probe epoch. Adam at learningRate, batch order from the seed.
     */
    public record LinearProbe(boolean enabled, int epochs, int batchSize, double learningRate) {
        public static final LinearProbe DEFAULTS = new LinearProbe(false, 5, 64, 0.001);
    }

    /** True when the spec fixes the window; false for the automatic one. */
    public boolean fixedWindow() {
        return !fitRanks.isEmpty();
    }

    public int fitLo() {
        return fitRanks.get(0);
    }

    public int fitHi() {
        return fitRanks.get(1);
    }

    /** True when d is estimated from the input probes (manifoldDim: auto). */
    public boolean autoManifoldDim() {
        return Double.isNaN(manifoldDim);
    }

    void validate(Validation v) {
        v.check(everyEpochs >= 1, "analysis.everyEpochs", "a positive integer", everyEpochs);
        if (fitRanks.size() == 2) {
            v.check(fitRanks.get(0) >= 1, "analysis.fitRanks[0]", "a rank of at least 1", fitRanks.get(0));
            v.check(fitRanks.get(0) < fitRanks.get(1), "analysis.fitRanks", "lo < hi", fitRanks);
        } else if (!fitRanks.isEmpty()) {
            v.error("analysis.fitRanks", "two ranks [lo, hi] (or none, for the automatic window 10 .. rank/2)", fitRanks);
        }
        v.check(jackknifeBlocks >= 2, "analysis.jackknifeBlocks", "an integer of at least 2", jackknifeBlocks);
        v.check(autoManifoldDim() || manifoldDim > 0, "analysis.manifoldDim", "auto, a positive number or .inf", manifoldDim);
        v.check(linearProbe.epochs() >= 1, "analysis.linearProbe.epochs", "a positive integer", linearProbe.epochs());
        v.check(linearProbe.batchSize() >= 1, "analysis.linearProbe.batchSize", "a positive integer", linearProbe.batchSize());
        v.check(linearProbe.learningRate() > 0 && Double.isFinite(linearProbe.learningRate()), "analysis.linearProbe.learningRate",
                "a positive number", linearProbe.learningRate());
    }
}
