package org.manifoldlab.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Settings given on the command line: {@code key=value} overrides a spec's key (dotted paths,
 * values in YAML flow syntax: {@code network.widths=[500,500]}), and a multirun
 * {@code key=v1,v2} sweeps over the values (split on commas outside brackets and quotes, so
 * {@code network.widths=[500,500],[1000]} is two values). They go into the spec's tree before it
 * is bound, so they are checked with the same messages as the file's own keys.
 */
public record Overrides(Map<String, JsonNode> set, Map<String, List<JsonNode>> swept) {

    public static final Overrides NONE = new Overrides(Map.of(), Map.of());

    private static final Pattern ARGUMENT = Pattern.compile("[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)*=.*", Pattern.DOTALL);

    /** Whether a command-line argument reads as an override (key=value) rather than a file name. */
    public static boolean looksLikeOne(String argument) {
        return ARGUMENT.matcher(argument).matches();
    }

    /**
     * Parses key=value overrides and key=v1,v2 multirun arguments.
     *
     * @throws SpecException naming each argument that is not key=value or whose value is not YAML
     */
    public static Overrides parse(List<String> overrides, List<String> multirun) throws SpecException {
        List<String> problems = new ArrayList<>();
        Map<String, JsonNode> set = new LinkedHashMap<>();
        Map<String, List<JsonNode>> swept = new LinkedHashMap<>();
        for (String argument : overrides) {
            String[] kv = split(argument, problems);
            if (kv != null) {
                JsonNode value = value(argument, kv[1], problems);
                if (value != null) {
                    set.put(kv[0], value);
                }
            }
        }
        for (String argument : multirun) {
            String[] kv = split(argument, problems);
            if (kv != null) {
                List<JsonNode> values = new ArrayList<>();
                for (String one : splitValues(kv[1])) {
                    JsonNode value = value(argument, one, problems);
                    if (value != null) {
                        values.add(value);
                    }
                }
                swept.put(kv[0], values);
            }
        }
        if (!problems.isEmpty()) {
            throw new SpecException("command line", problems);
        }
        return new Overrides(set, swept);
    }

    private static String[] split(String argument, List<String> problems) {
        if (!looksLikeOne(argument)) {
            problems.add(SpecBinder.describe(argument) + ": expected key=value with a dotted key, e.g. training.epochs=3");
            return null;
        }
        int eq = argument.indexOf('=');
        return new String[] {argument.substring(0, eq), argument.substring(eq + 1)};
    }

    private static JsonNode value(String argument, String text, List<String> problems) {
        if (text.isBlank()) {
            problems.add(SpecBinder.describe(argument) + ": no value after '='");
            return null;
        }
        try {
            JsonNode node = SpecText.yaml(text);
            return node == null ? JsonNodeFactory.instance.nullNode() : node;
        } catch (IOException e) {
            problems.add(SpecBinder.describe(argument) + ": the value is not YAML: " + e.getMessage());
            return null;
        }
    }

    /** "a,[1,2],'x,y'" -> a, [1,2], 'x,y': commas inside brackets, braces or quotes do not split. */
    static List<String> splitValues(String text) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '[' || c == '{') {
                depth++;
            } else if (c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(text.substring(start, i).strip());
                start = i + 1;
            }
        }
        out.add(text.substring(start).strip());
        return out;
    }

    public boolean isEmpty() {
        return set.isEmpty() && swept.isEmpty();
    }

    /** The spec's tree with these applied: overrides set their keys (and end any sweep over them), multiruns become sweep axes. */
    JsonNode applyTo(JsonNode tree) {
        if (isEmpty()) {
            return tree;
        }
        ObjectNode out = tree != null && tree.isObject() ? ((ObjectNode) tree).deepCopy() : JsonNodeFactory.instance.objectNode();
        ObjectNode sweep = out.get("sweep") instanceof ObjectNode s ? s : null;
        set.forEach((key, value) -> {
            Sweep.set(out, key, value);
            if (sweep != null) {
                sweep.remove(key);
            }
        });
        if (sweep != null && sweep.isEmpty()) {
            out.remove("sweep");
        }
        if (!swept.isEmpty()) {
            ObjectNode axes = out.get("sweep") instanceof ObjectNode s ? s : out.putObject("sweep");
            swept.forEach((key, values) -> {
                ArrayNode list = axes.putArray(key);
                values.forEach(list::add);
            });
        }
        return out;
    }

    /** The overrides as "key=value" settings, values in compact JSON. */
    List<String> settings() {
        List<String> out = new ArrayList<>();
        set.forEach((key, value) -> out.add(key + "=" + value));
        return out;
    }
}
