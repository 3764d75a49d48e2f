package org.manifoldlab.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A sweep section maps field paths (e.g. {@code seed}, {@code network.widths},
 * {@code training.optimizer.learningRate}) to lists of values; the experiments are the
 * cartesian product, the last path varying fastest, named {@code <name>-<index>} (001, 002, ...).
 */
final class Sweep {

    private Sweep() {
    }

    /** Members a sweep may have without a confirmation. */
    static final long CONFIRM_ABOVE = 10_000;
    /** Members a sweep may have at all: each is a resolved spec held in memory. */
    static final long HARD_LIMIT = 1_000_000;

    static List<ExperimentSpec> expand(JsonNode base, JsonNode sweep, Validation v, long maxMembers) {
        if (!sweep.isObject() || sweep.isEmpty()) {
            v.error("sweep", "a mapping of field paths to lists of values", sweep);
            return List.of();
        }
        List<Map.Entry<String, JsonNode>> axes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = sweep.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> axis = it.next();
            if (!axis.getValue().isArray() || axis.getValue().isEmpty()) {
                v.error("sweep." + axis.getKey(), "a non-empty list of values", axis.getValue());
                return List.of();
            }
            axes.add(axis);
        }
        long size = 1;
        for (Map.Entry<String, JsonNode> axis : axes) {
            size = Math.multiplyHigh(size, axis.getValue().size()) != 0 || size * axis.getValue().size() > HARD_LIMIT
                    ? HARD_LIMIT + 1 : size * axis.getValue().size();
        }
        if (size > maxMembers) {
            v.raw("sweep: " + describeSize(axes) + (size > HARD_LIMIT ? "; at most " + HARD_LIMIT + " members can be expanded"
                    : " members, over " + maxMembers + "; confirm a sweep this large with --yes"));
            return List.of();
        }
        int total = (int) size;
        String name = base.has("name") && base.get("name").isTextual() ? base.get("name").textValue() : ExperimentSpec.DEFAULTS.name();
        List<ExperimentSpec> out = new ArrayList<>();
        for (int index = 0; index < total; index++) {
            ObjectNode tree = base.deepCopy();
            int rest = index;
            String[] settings = new String[axes.size()];
            for (int a = axes.size() - 1; a >= 0; a--) {
                JsonNode values = axes.get(a).getValue();
                JsonNode value = values.get(rest % values.size());
                set(tree, axes.get(a).getKey(), value);
                settings[a] = axes.get(a).getKey() + "=" + value;
                rest /= values.size();
            }
            tree.put("name", String.format("%s-%03d", name, index + 1));
            Validation local = new Validation();
            ExperimentSpec spec = new SpecBinder(local).bindRecord(tree, ExperimentSpec.class, ExperimentSpec.DEFAULTS, "");
            for (String e : local.errors()) {
                v.raw("sweep: " + e);
            }
            out.add(spec.withSettings(List.of(settings)));
        }
        return out;
    }

    /** "3 x 4 x 1300 = 15600" (the product exactly, whatever its size). */
    private static String describeSize(List<Map.Entry<String, JsonNode>> axes) {
        java.math.BigInteger product = java.math.BigInteger.ONE;
        List<String> factors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> axis : axes) {
            factors.add(Integer.toString(axis.getValue().size()));
            product = product.multiply(java.math.BigInteger.valueOf(axis.getValue().size()));
        }
        return String.join(" x ", factors) + " = " + product;
    }

    static void set(ObjectNode tree, String path, JsonNode value) {
        String[] parts = path.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (!(child instanceof ObjectNode)) {
                child = node.putObject(parts[i]);
            }
            node = (ObjectNode) child;
        }
        node.set(parts[parts.length - 1], value);
    }
}
