package org.manifoldlab.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverridesTest {

    @TempDir
    Path dir;

    private Specs.Loaded load(String yaml, List<String> set, List<String> multirun) throws Exception {
        Path file = Files.writeString(dir.resolve("spec.yaml"), yaml);
        return Specs.load(file, s -> null, false, Overrides.parse(set, multirun));
    }

    @Test
    void overridesSetTypedNestedKeysAndAreRecorded() throws Exception {
        ExperimentSpec e = load("name: base\nnetwork: {widths: [10, 10, 10]}\n",
                List.of("training.epochs=3", "network.widths=[500,500]", "network.readoutScale=0.5", "network.activation=tanh"),
                List.of()).experiments().get(0);
        assertEquals(3, e.training().epochs());
        assertEquals(List.of(500, 500), e.network().widths());
        assertEquals(0.5, e.network().readoutScale());
        assertEquals("TANH", e.network().activation().name());
        assertEquals(List.of("training.epochs=3", "network.widths=[500,500]", "network.readoutScale=0.5", "network.activation=\"tanh\""),
                e.settings());
        assertEquals(e, Specs.parseOne(Specs.toJson(e), true), "spec.json keeps the settings");
    }

    @Test
    void unknownKeysAndBadValuesGetTheSpecsMessages() {
        SpecException unknown = assertThrows(SpecException.class, () -> load("name: a\n", List.of("training.epoch=3"), List.of()));
        assertTrue(unknown.getMessage().contains("training.epoch: unknown key; did you mean 'epochs'?"), unknown.getMessage());
        SpecException type = assertThrows(SpecException.class, () -> load("name: a\n", List.of("training.epochs=three"), List.of()));
        assertTrue(type.getMessage().contains("training.epochs: expected an integer, got \"three\""), type.getMessage());
        SpecException shape = assertThrows(SpecException.class, () -> Overrides.parse(List.of("epochs"), List.of()));
        assertTrue(shape.getMessage().contains("\"epochs\": expected key=value"), shape.getMessage());
        SpecException empty = assertThrows(SpecException.class, () -> Overrides.parse(List.of("seed="), List.of()));
        assertTrue(empty.getMessage().contains("no value after '='"), empty.getMessage());
    }

    @Test
    void multirunIsTheCartesianProductAndSplitsOnlyOutsideBrackets() throws Exception {
        assertEquals(List.of("[500,500]", "[1000]", "'a,b'", "x"), Overrides.splitValues("[500,500],[1000],'a,b',x"));
        List<ExperimentSpec> members = load("name: m\n", List.of("training.epochs=2"), List.of("seed=1,2", "network.widths=[500,500],[1000]"))
                .experiments();
        assertEquals(4, members.size());
        assertEquals(List.of("m-001", "m-002", "m-003", "m-004"), members.stream().map(ExperimentSpec::name).toList());
        assertEquals(List.of(1L, 1L, 2L, 2L), members.stream().map(ExperimentSpec::seed).toList());
        assertEquals(List.of(List.of(500, 500), List.of(1000), List.of(500, 500), List.of(1000)),
                members.stream().map(m -> m.network().widths()).toList());
        assertEquals(List.of("seed=1", "network.widths=[1000]", "training.epochs=2"), members.get(1).settings());
        assertTrue(members.stream().allMatch(m -> m.training().epochs() == 2));
    }

    @Test
    void anOverrideEndsASweepOverTheSameKey() throws Exception {
        List<ExperimentSpec> members = load("name: s\nsweep:\n  seed: [1, 2, 3]\n  training.epochs: [1, 2]\n", List.of("seed=7"), List.of())
                .experiments();
        assertEquals(2, members.size());
        assertTrue(members.stream().allMatch(m -> m.seed() == 7));
    }
}
