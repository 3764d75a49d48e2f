package org.manifoldlab.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecsTest {

    @TempDir
    Path dir;

    private Specs.Loaded load(String yaml) throws IOException, SpecException {
        Path file = dir.resolve("spec.yaml");
        Files.writeString(file, yaml);
        return Specs.load(file, source -> source.equals("missing") ? "data directory /x does not exist" : null);
    }

    @Test
    void twoLineSpecGetsEveryDefault() throws Exception {
        ExperimentSpec spec = load("name: quick\nseed: 7\n").experiments().get(0);
        assertEquals("quick", spec.name());
        assertEquals(7, spec.seed());
        assertEquals(DataSpec.DEFAULTS, spec.data());
        assertEquals(TrainingSpec.DEFAULTS, spec.training());
        assertEquals(List.of(List.of(1), List.of(2), List.of(3), List.of(4), List.of(5)), spec.network().layerGroups());
        assertTrue(spec.analysis().autoManifoldDim(), "d is estimated from the input by default");
        assertFalse(spec.analysis().fixedWindow(), "the window is automatic by default");
        assertEquals(AnalysisSpec.Method.OLS, spec.analysis().method());
        assertEquals(AnalysisSpec.Intervals.LAST, spec.analysis().intervals());
        assertTrue(spec.attacks().gaussian().clip(), "Gaussian noise is clipped by default");
        assertFalse(load("name: a\nattacks: {gaussian: {clip: false}}\n").experiments().get(0).attacks().gaussian().clip());
    }

    @Test
    void resolvedSpecRoundTripsThroughJsonAndYaml() throws Exception {
        ExperimentSpec spec = load("""
                name: rt
                network: {widths: [30, 20], activation: tanh, layerGroups: [[1, 2]]}
                training: {mode: backprop, optimizer: {type: sgd, learningRate: 0.05}}
                analysis: {manifoldDim: 12.5}
                attacks: {fgsm: {target: prediction}}
                """).experiments().get(0).withVersion("0.1.0");
        assertEquals(spec, Specs.parseOne(Specs.toJson(spec), true));
        assertEquals(spec, Specs.parseOne(Specs.toYaml(spec), false));
        ExperimentSpec defaults = load("name: quick\n").experiments().get(0);
        assertEquals(defaults, Specs.parseOne(Specs.toJson(defaults), true), "auto manifoldDim survives JSON");
        assertEquals(defaults, Specs.parseOne(Specs.toYaml(defaults), false), "and YAML");
    }

    @Test
    void yamlInfinityAndFiniteManifoldDimensionsAreRead() throws Exception {
        assertEquals(Double.POSITIVE_INFINITY, load("analysis: {manifoldDim: .inf}\n").experiments().get(0).analysis().manifoldDim());
        assertEquals(784.0, load("analysis: {manifoldDim: 784}\n").experiments().get(0).analysis().manifoldDim());
        assertTrue(load("analysis: {manifoldDim: auto}\n").experiments().get(0).analysis().autoManifoldDim());
        AnalysisSpec a = load("analysis: {method: weighted, intervals: every, fitRanks: [10, 100]}\n").experiments().get(0).analysis();
        assertEquals(AnalysisSpec.Method.WEIGHTED, a.method());
        assertEquals(AnalysisSpec.Intervals.EVERY, a.intervals());
        assertTrue(a.fixedWindow());
    }

    @Test
    void sweepExpandsToTheCartesianProduct() throws Exception {
        Specs.Loaded loaded = load("""
                name: sw
                network: {widths: [10]}
                sweep:
                  seed: [1, 2, 3]
                  network.widths: [[10, 10], [20]]
                """);
        assertTrue(loaded.isSweep());
        assertEquals(6, loaded.experiments().size());
        ExperimentSpec last = loaded.experiments().get(5);
        assertEquals("sw-006", last.name());
        assertEquals(3, last.seed());
        assertEquals(List.of(20), last.network().widths());
        assertEquals(List.of(10, 10), loaded.experiments().get(0).network().widths());
    }

    @Test
    void everyProblemOfASpecIsReportedAtOnce() throws IOException {
        SpecException e = assertThrows(SpecException.class, () -> load("""
                seed: 1
                trainig: {epochs: 2}
                training: {batchSize: 0}
                network: {widths: [10, -1]}
                """));
        String f = dir.resolve("spec.yaml").toString();
        assertEquals(List.of(
                f + ": trainig: unknown key; did you mean 'training'?",
                f + ": network.widths[1]: expected a positive integer, got -1",
                f + ": training.batchSize: expected a positive integer, got 0"), e.problems());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown top key       | nmae: x                                          | nmae: unknown key; did you mean 'name'?
            unknown nested key    | training: {epoch: 3}                             | training.epoch: unknown key; did you mean 'epochs'?
            wrong type            | training: {epochs: ten}                          | training.epochs: expected an integer, got "ten"
            fraction as integer   | training: {batchSize: 6.5}                       | training.batchSize: expected an integer, got 6.5
            negative width        | network: {widths: [100, 0]}                      | network.widths[1]: expected a positive integer, got 0
            no layers             | network: {widths: []}                            | network.widths: expected at least one hidden layer width, got []
            bad activation        | network: {activation: sigmoid}                   | network.activation: expected one of relu, tanh, got "sigmoid"
            groups miss a layer   | network: {widths: [5, 5, 5], layerGroups: [[1], [3]]} | network.layerGroups: expected consecutive groups covering layers 1..3 exactly once, in order (layer 2 expected next), got [[1], [3]]
            groups repeat a layer | network: {widths: [5, 5], layerGroups: [[1, 2], [2]]} | network.layerGroups: expected consecutive groups covering layers 1..2 exactly once, in order (layer 3 expected next), got [[1, 2], [2]]
            groups too short      | network: {widths: [5, 5], layerGroups: [[1]]}    | network.layerGroups: expected groups covering layers 1..2 exactly once, in order, got [[1]]
            zero epochs           | training: {epochs: 0}                            | training.epochs: expected a positive integer, got 0
            negative eps          | attacks: {fgsm: {epsilons: [0.1, -0.2]}}         | attacks.fgsm.epsilons[1]: expected a non-negative number, got -0.2
            negative sigma        | attacks: {gaussian: {sigmas: [-1]}}              | attacks.gaussian.sigmas[0]: expected a non-negative number, got -1.0
            clip not a boolean    | attacks: {gaussian: {clip: maybe}}               | attacks.gaussian.clip: expected true or false, got "maybe"
            probe epochs zero     | analysis: {linearProbe: {enabled: true, epochs: 0}} | analysis.linearProbe.epochs: expected a positive integer, got 0
            restarts from x       | attacks: {pgd: {randomStart: false, restarts: 3}}  | attacks.pgd.restarts: expected 1 without a random start (every restart would start from x), got 3
            window lo >= hi       | analysis: {fitRanks: [50, 10]}                   | analysis.fitRanks: expected lo < hi, got [50, 10]
            window of one rank    | analysis: {fitRanks: [10]}                       | analysis.fitRanks: expected two ranks [lo, hi] (or none, for the automatic window 10 .. rank/2), got [10]
            bad intervals         | analysis: {intervals: always}                    | analysis.intervals: expected one of last, every, never, got "always"
            bad fit method        | analysis: {method: huber}                        | analysis.method: expected one of ols, weighted, got "huber"
            word for a dimension  | analysis: {manifoldDim: big}                     | analysis.manifoldDim: expected a number, got "big"
            one jackknife block   | analysis: {jackknifeBlocks: 1}                   | analysis.jackknifeBlocks: expected an integer of at least 2, got 1
            bad mode              | training: {mode: hebbian}                        | training.mode: expected one of local, layerwise, backprop, got "hebbian"
            bad local loss        | training: {localLoss: hebb}                      | training.localLoss: expected one of fixed-readout, trained-readout, pred, sim, predsim, got "hebb"
            rule under backprop   | training: {mode: backprop, localLoss: sim}       | training.localLoss: expected fixed-readout in backprop mode (the rules are for local and layerwise training), got "sim"
            beta above one        | training: {localLoss: predsim, predsimBeta: 2}   | training.predsimBeta: expected a number in [0, 1], got 2.0
            penalty batch small   | {network: {widths: [50, 80]}, training: {spectralPenalty: {layers: [2], batch: 60}}} | training.spectralPenalty.batch: expected at least the width of penalised layer 2 (80), got 60
            penalty layer absent  | {network: {widths: [50]}, training: {spectralPenalty: {layers: [3]}}} | training.spectralPenalty.layers[0]: expected a layer in 1..1, got 3
            penalty in layerwise  | {network: {widths: [5]}, training: {mode: layerwise, spectralPenalty: {layers: [1]}}} | training.spectralPenalty: expected local mode (the penalty is a local error), got "layerwise"
            zero learning rate    | training: {optimizer: {learningRate: 0}}         | training.optimizer.learningRate: expected a positive number, got 0.0
            layerwise too short   | {network: {widths: [5, 5, 5]}, training: {mode: layerwise, epochs: 2}} | training.epochs: expected at least one epoch per layer in layerwise mode (3), got 2
            missing data          | data: {source: missing}                          | data.source: data directory /x does not exist
            bad test fraction     | data: {testFraction: 1.5}                        | data.testFraction: expected a fraction strictly between 0 and 1, got 1.5
            bad name              | name: 'a b'                                      | name: expected 1-80 letters, digits, '.', '_' or '-', starting with a letter or digit, got "a b"
            section not a mapping | training: 5                                      | training: expected a mapping of mode, epochs, batchSize, optimizer, pipelineWindow, localLoss, predsimBeta, spectralPenalty, earlyStopping, got 5
            bad validation share  | data: {validationFraction: 1}                    | data.validationFraction: expected 0 (no validation set) or a fraction strictly between 0 and 1, got 1.0
            stopping, no holdout  | training: {earlyStopping: {patience: 3}}         | data.validationFraction: expected a fraction strictly between 0 and 1 when training.earlyStopping is on (the rule reads the validation set), got 0.0
            negative patience     | training: {earlyStopping: {patience: -1}}        | training.earlyStopping.patience: expected 0 (off) or a positive integer, got -1
            unknown monitor       | training: {earlyStopping: {monitor: best}}       | training.earlyStopping.monitor: expected one of mean, any-layer, got "best"
            layerwise stopping    | {data: {validationFraction: 0.1}, network: {widths: [5]}, training: {mode: layerwise, earlyStopping: {patience: 2}}} | training.earlyStopping.patience: expected 0 in layerwise mode (its layers are trained one after another, so their validation accuracies do not improve together), got 2
            sweep not a list      | sweep: {seed: 3}                                 | sweep.seed: expected a non-empty list of values, got 3
            sweep bad value       | sweep: {training.epochs: [1, -1]}                | training.epochs: expected a positive integer, got -1
            """)
    void malformedSpecIsRefusedWithItsMessage(String what, String yaml, String message) throws IOException {
        SpecException e = assertThrows(SpecException.class, () -> load(yaml));
        assertEquals(List.of(dir.resolve("spec.yaml") + ": " + message), e.problems(), what);
    }

    @Test
    void unparsableFileAndMissingFileAreNamed() throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"seed\": ");
        SpecException e = assertThrows(SpecException.class, () -> Specs.load(bad, s -> null));
        assertTrue(e.getMessage().startsWith(bad + ": not valid JSON: "), e.getMessage());
        SpecException missing = assertThrows(SpecException.class, () -> Specs.load(dir.resolve("nope.yaml"), s -> null));
        assertEquals(dir.resolve("nope.yaml") + ": no such file", missing.getMessage());
    }
}
