package org.manifoldlab.config;

/**
 * Faults injected on purpose, for testing recovery; all off by default. Each fires once per
 * experiment process: a restarted actor does not fail again.
 *
 * @param trainer  the trainer holding {@code layer} throws when it reaches global step {@code atStep}
 * @param analyzer the analyzer of {@code layer} throws at the analysis of {@code epoch}
 * @param attacker the attacker working on {@code layer} throws at the analysis of {@code epoch}
 */
public record FaultsSpec(TrainerFault trainer, AnalysisFault analyzer, AnalysisFault attacker) {

    public static final FaultsSpec DEFAULTS = new FaultsSpec(TrainerFault.OFF, AnalysisFault.OFF, AnalysisFault.OFF);

    /** layer 0 means off. */
    public record TrainerFault(int layer, long atStep) {
        public static final TrainerFault OFF = new TrainerFault(0, 0);

        public boolean on() {
            return layer > 0;
        }
    }

    /** layer 0 means off. */
    public record AnalysisFault(int layer, int epoch) {
        public static final AnalysisFault OFF = new AnalysisFault(0, 0);

        public boolean on() {
            return layer > 0;
        }
    }

    void validate(Validation v, int depth) {
        check(v, "faults.trainer.layer", trainer.layer(), depth);
        check(v, "faults.analyzer.layer", analyzer.layer(), depth);
        check(v, "faults.attacker.layer", attacker.layer(), depth);
        v.check(!trainer.on() || trainer.atStep() >= 1, "faults.trainer.atStep", "a step of at least 1", trainer.atStep());
    }

    private static void check(Validation v, String path, int layer, int depth) {
        v.check(layer >= 0 && layer <= depth, path, "0 (off) or a layer in 1.." + depth, layer);
    }
}
