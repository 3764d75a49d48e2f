package org.manifoldlab.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Reading, validating, writing and expanding experiment specs (YAML or JSON). */
public final class Specs {

    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private Specs() {
    }

    /** A spec file: one experiment, or several if it has a sweep section. */
    public record Loaded(String file, List<ExperimentSpec> experiments, boolean isSweep) {
    }

    /**
     * Reads, binds, expands and validates a spec file. dataProblem says what is wrong with a
     * data source (null when it is usable); every problem of every experiment is reported at once.
     */
    public static Loaded load(Path file, Function<String, String> dataProblem) throws SpecException {
        return load(file, dataProblem, false);
    }

    /**
     * As {@link #load(Path, Function)}; a sweep of more than {@value Sweep#CONFIRM_ABOVE} members
     * is refused unless largeSweepConfirmed.
     */
    public static Loaded load(Path file, Function<String, String> dataProblem, boolean largeSweepConfirmed) throws SpecException {
        return load(file, dataProblem, largeSweepConfirmed, Overrides.NONE);
    }

    /** As {@link #load(Path, Function, boolean)}, with the command line's overrides and multirun axes applied to the file's tree. */
    public static Loaded load(Path file, Function<String, String> dataProblem, boolean largeSweepConfirmed, Overrides overrides)
            throws SpecException {
        String name = file.toString();
        JsonNode tree;
        String text;
        try {
            if (Files.isDirectory(file)) {
                throw new SpecException(name, List.of("is a directory; expected a YAML or JSON spec file"));
            }
            if (Files.size(file) > SpecText.MAX_CHARS * 4L) {
                throw new SpecException(name, List.of("is " + Files.size(file) + " bytes; a spec file is at most " + SpecText.MAX_CHARS + " characters"));
            }
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new SpecException(name, List.of("no such file"));
        } catch (IOException e) {
            throw new SpecException(name, List.of("cannot read it: " + firstLine(e.getMessage())));
        }
        try {
            tree = SpecText.parse(text, isJson(file));
        } catch (IOException e) {
            throw new SpecException(name, List.of("not valid " + (isJson(file) ? "JSON" : "YAML") + ": " + firstLine(e.getMessage())));
        }
        if ((tree == null || tree.isMissingNode() || tree.isNull() || tree.isObject() && tree.isEmpty()) && overrides.isEmpty()) {
            throw new SpecException(name, List.of("the spec is empty; give at least one key, e.g. 'name: my-run' "
                    + "(every other key has a default: experiments/quick.yaml shows the common ones)"));
        }
        Loaded loaded = fromTree(name, overrides.applyTo(tree), dataProblem, largeSweepConfirmed ? Sweep.HARD_LIMIT : Sweep.CONFIRM_ABOVE);
        if (overrides.set().isEmpty()) {
            return loaded;
        }
        List<ExperimentSpec> noted = new ArrayList<>();
        for (ExperimentSpec e : loaded.experiments()) {
            List<String> settings = new ArrayList<>(e.settings());  // swept keys first, then the overrides
            settings.addAll(overrides.settings());
            noted.add(e.withSettings(settings));
        }
        return new Loaded(loaded.file(), noted, loaded.isSweep());
    }

    public static Loaded fromTree(String file, JsonNode tree, Function<String, String> dataProblem) throws SpecException {
        return fromTree(file, tree, dataProblem, Sweep.CONFIRM_ABOVE);
    }

    private static Loaded fromTree(String file, JsonNode tree, Function<String, String> dataProblem, long maxMembers) throws SpecException {
        Validation v = new Validation();
        JsonNode sweepNode = null;
        if (tree != null && tree.isObject() && tree.has("sweep")) {
            sweepNode = tree.get("sweep");
            tree = ((ObjectNode) tree.deepCopy()).without("sweep");
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            tree = JSON.createObjectNode();
        }
        ExperimentSpec base = new SpecBinder(v).bindRecord(tree, ExperimentSpec.class, ExperimentSpec.DEFAULTS, "");
        List<ExperimentSpec> experiments = new ArrayList<>();
        if (v.errors().isEmpty() && sweepNode != null) {
            experiments.addAll(Sweep.expand(tree, sweepNode, v, maxMembers));
        } else {
            experiments.add(base);  // fields that failed to bind hold their defaults: the rest is still checked
        }
        List<ExperimentSpec> resolved = new ArrayList<>();
        for (ExperimentSpec spec : experiments) {
            spec.validate(v);
            String problem = dataProblem.apply(spec.data().source());
            if (problem != null) {
                v.raw("data.source: " + problem);
            }
            resolved.add(spec.resolved());
        }
        List<String> distinct = v.errors().stream().distinct().toList();
        if (!distinct.isEmpty()) {
            throw new SpecException(file, distinct);
        }
        return new Loaded(file, resolved, sweepNode != null);
    }

    public static String toJson(ExperimentSpec spec) {
        try {
            return JSON.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a spec always serializes", e);
        }
    }

    public static String toYaml(ExperimentSpec spec) {
        try {
            return YAML.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a spec always serializes", e);
        }
    }

    /** Parses one experiment written by {@link #toJson} or {@link #toYaml} (no data check). */
    public static ExperimentSpec parseOne(String text, boolean json) throws SpecException {
        try {
            JsonNode tree = SpecText.parse(text, json);
            return fromTree(json ? "(json)" : "(yaml)", tree, s -> null).experiments().get(0);
        } catch (IOException e) {
            throw new SpecException(json ? "(json)" : "(yaml)", List.of(firstLine(e.getMessage())));
        }
    }

    private static boolean isJson(Path file) {
        return file.getFileName().toString().toLowerCase().endsWith(".json");
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
