package org.manifoldlab.config;

import java.util.regex.Pattern;

/**
 * One experiment, every field with a default (see the records' DEFAULTS), so a spec can be
 * two lines. {@code version} is the project version that resolved it, and {@code settings} the
 * keys this experiment sets apart from its spec file's own values (its sweep axes and the
 * command line's overrides, as key=value); lab fills in both. The run stores this resolved form
 * as spec.json.
 */
public record ExperimentSpec(String name, long seed, DataSpec data, NetworkSpec network, TrainingSpec training,
                             AnalysisSpec analysis, AttacksSpec attacks, ResourcesSpec resources, CheckpointSpec checkpoint,
                             FaultsSpec faults, String version, java.util.List<String> settings) {

    public static final ExperimentSpec DEFAULTS = new ExperimentSpec("experiment", 1, DataSpec.DEFAULTS, NetworkSpec.DEFAULTS,
            TrainingSpec.DEFAULTS, AnalysisSpec.DEFAULTS, AttacksSpec.DEFAULTS, ResourcesSpec.DEFAULTS, CheckpointSpec.DEFAULTS,
            FaultsSpec.DEFAULTS, "", java.util.List.of());

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,79}");

    void validate(Validation v) {
        v.check(name != null && NAME.matcher(name).matches(), "name",
                "1-80 letters, digits, '.', '_' or '-', starting with a letter or digit", name);
        data.validate(v);
        network.validate(v);
        training.validate(v, network.depth());
        if (training.earlyStopping().enabled()) {
            v.check(data.validationFraction() > 0, "data.validationFraction",
                    "a fraction strictly between 0 and 1 when training.earlyStopping is on (the rule reads the validation set)", data.validationFraction());
        }
        training.validateRules(v, network);
        analysis.validate(v);
        attacks.validate(v);
        resources.validate(v);
        checkpoint.validate(v);
        faults.validate(v, network.depth());
    }

    public ExperimentSpec withSeed(long newSeed) {
        return new ExperimentSpec(name, newSeed, data, network, training, analysis, attacks, resources, checkpoint, faults, version, settings);
    }

    public ExperimentSpec withName(String newName) {
        return new ExperimentSpec(newName, seed, data, network, training, analysis, attacks, resources, checkpoint, faults, version, settings);
    }

    /** The same experiment, noting the keys it sets apart from its spec file. */
    public ExperimentSpec withSettings(java.util.List<String> newSettings) {
        return new ExperimentSpec(name, seed, data, network, training, analysis, attacks, resources, checkpoint, faults, version,
                java.util.List.copyOf(newSettings));
    }

    public ExperimentSpec withVersion(String newVersion) {
        return new ExperimentSpec(name, seed, data, network, training, analysis, attacks, resources, checkpoint, faults, newVersion, settings);
    }

    /** The same experiment with other injected faults (the spec hash ignores faults). */
    public ExperimentSpec withFaults(FaultsSpec newFaults) {
        return new ExperimentSpec(name, seed, data, network, training, analysis, attacks, resources, checkpoint, newFaults, version, settings);
    }

    /** Layer groups written out explicitly, so the stored spec says how the run was split. */
    public ExperimentSpec resolved() {
        NetworkSpec n = new NetworkSpec(network.widths(), network.activation(), network.readoutScale(), network.resolvedGroups());
        return new ExperimentSpec(name, seed, data, n, training, analysis, attacks, resources, checkpoint, faults, version, settings);
    }
}
