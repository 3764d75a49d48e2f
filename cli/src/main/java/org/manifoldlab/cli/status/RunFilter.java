package org.manifoldlab.cli.status;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.manifoldlab.rundir.RunDirectory;
import org.yaml.snakeyaml.Yaml;

/** Which runs lab status shows and in what order: --where KEY=VALUE on the spec or the state, --sort FIELD. */
final class RunFilter {

    private final Map<String, JsonNode> where;
    private final String sort;

    private RunFilter(Map<String, JsonNode> where, String sort) {
        this.where = where;
        this.sort = sort;
    }

    /** @throws IllegalArgumentException naming a --where that is not KEY=VALUE */
    static RunFilter of(List<String> where, String sort) {
        Map<String, JsonNode> conditions = new LinkedHashMap<>();
        for (String w : where) {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--where: expected KEY=VALUE, got " + w);
            }
            Object parsed = new Yaml().load(w.substring(eq + 1));
            conditions.put(w.substring(0, eq), RunDirectory.JSON.valueToTree(parsed));
        }
        return new RunFilter(conditions, sort);
    }

    boolean keeps(Path run, RunStatus status) throws IOException {
        if (where.isEmpty()) {
            return true;
        }
        JsonNode spec = RunDirectory.JSON.readTree(run.resolve("spec.json").toFile());
        for (Map.Entry<String, JsonNode> c : where.entrySet()) {
            JsonNode actual = c.getKey().equals("state") ? RunDirectory.JSON.valueToTree(status.state()) : at(spec, c.getKey());
            if (!same(actual, c.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** Numbers compare by value (1 equals 1.0); everything else by its JSON. */
    private static boolean same(JsonNode actual, JsonNode wanted) {
        if (actual.isNumber() && wanted.isNumber()) {
            return actual.doubleValue() == wanted.doubleValue();
        }
        if (actual.isTextual() && wanted.isTextual()) {
            return actual.asText().equalsIgnoreCase(wanted.asText());
        }
        return actual.equals(wanted);
    }

    private static JsonNode at(JsonNode tree, String dotted) {
        JsonNode node = tree;
        for (String part : dotted.split("\\.")) {
            node = node.path(part);
        }
        return node;
    }

    void sort(List<RunStatus> runs) {
        Comparator<RunStatus> order = switch (sort) {
            case "id" -> Comparator.comparing(RunStatus::id);
            case "state" -> Comparator.comparing(RunStatus::state).thenComparing(RunStatus::id);
            case "epoch" -> Comparator.comparingInt(RunStatus::epoch).thenComparing(RunStatus::id);
            case "restarts" -> Comparator.comparingInt(RunStatus::restarts).reversed().thenComparing(RunStatus::id);
            case "best" -> Comparator.comparing((RunStatus r) -> r.bestTestAccuracy() == null ? Double.NEGATIVE_INFINITY : r.bestTestAccuracy())
                    .reversed().thenComparing(RunStatus::id);
            case "alpha" -> Comparator.comparing((RunStatus r) -> r.lastAlpha() == null ? Double.NEGATIVE_INFINITY : r.lastAlpha())
                    .reversed().thenComparing(RunStatus::id);
            default -> Comparator.comparing((RunStatus r) -> settingOf(r, sort)).thenComparing(RunStatus::id);
        };
        runs.sort(order);
    }

    /** The value a run's settings give a key, or "" (the spec key's value shown in settings). */
    private static String settingOf(RunStatus r, String key) {
        return r.settings().stream().filter(s -> s.startsWith(key + "=")).map(s -> s.substring(key.length() + 1)).findFirst().orElse("");
    }
}
