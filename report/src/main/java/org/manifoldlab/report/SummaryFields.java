package org.manifoldlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.manifoldlab.core.stats.MeanInterval;

/**
 * What {@link FindingsTables} reads of a summary.json of {@code lab report}: its shape checked
 * once, when the file is read, then members, layers, findings and the training-time effect
 * looked up by seed, layer and number.
 */
final class SummaryFields {

    private SummaryFields() {
    }

    /** The fields the tables read, each named with its file when it is missing (a summary.json of another tool or version). */
    static JsonNode checked(Path file, JsonNode summary) throws IOException {
        if (summary == null || !summary.path("members").isArray() || summary.get("members").isEmpty()) {
            throw new IOException(file + ": expected a summary.json of lab report, with a non-empty \"members\" array");
        }
        if (!summary.path("findings").isArray()) {
            throw new IOException(file + ": expected a \"findings\" array (lab report writes one)");
        }
        for (JsonNode m : summary.get("members")) {
            for (String field : List.of("seed", "epoch")) {
                if (!m.path(field).isNumber()) {
                    throw new IOException(file + ": a member has no number \"" + field + "\"");
                }
            }
            if (!m.path("layers").isArray() || m.get("layers").isEmpty()) {
                throw new IOException(file + ": member seed " + m.get("seed").asInt() + " has no \"layers\" array");
            }
            for (JsonNode l : m.get("layers")) {
                for (String field : List.of("layer", "alpha", "cleanAccuracy", "participationRatio", "smoothnessMargin")) {
                    if (!l.path(field).isNumber()) {
                        throw new IOException(file + ": member seed " + m.get("seed").asInt() + ", a layer has no number \"" + field + "\"");
                    }
                }
            }
        }
        return summary;
    }

    static JsonNode layerOf(JsonNode summary, long seed, int layer) {
        for (JsonNode m : summary.get("members")) {
            if (m.get("seed").asLong() == seed) {
                for (JsonNode l : m.get("layers")) {
                    if (l.get("layer").asInt() == layer) {
                        return l;
                    }
                }
            }
        }
        throw new IllegalArgumentException("no layer " + layer + " of seed " + seed + " in " + summary.path("source").asText());
    }

    static JsonNode finding(JsonNode summary, int number) {
        for (JsonNode f : summary.get("findings")) {
            if (f.get("number").asInt() == number) {
                return f;
            }
        }
        throw new IllegalArgumentException("no finding " + number + " in " + summary.path("source").asText());
    }

    static String measure(JsonNode finding) {
        JsonNode e = finding.get("evidence");
        return e == null ? "" : e.get("measure").asText();
    }

    /** Per strength, the bootstrap's order of the layers and how many of its pairs differ: "decreasing (4 of 10 pairs differ)". */
    static Map<String, String> orders(JsonNode finding) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode st : finding.path("evidence").path("strengths")) {
            JsonNode pairs = st.path("pairs");
            int differ = 0;
            for (JsonNode p : pairs) {
                differ += p.path("significant").asBoolean() ? 1 : 0;
            }
            out.put(plain(st.get("strength").asDouble()), st.get("order").asText().toLowerCase(Locale.ROOT).replace('_', ' ')
                    + " (" + differ + " of " + pairs.size() + " pairs differ)");
        }
        return out;
    }

    static JsonNode cleanEffect(JsonNode summary) {
        for (JsonNode e : summary.path("trainingTime").path("effects")) {
            if (e.get("attack").asText().equals("clean")) {
                return e;
            }
        }
        return null;
    }

    static List<Integer> layers(JsonNode summary) {
        List<Integer> out = new ArrayList<>();
        summary.get("members").get(0).get("layers").forEach(l -> out.add(l.get("layer").asInt()));
        return out;
    }

    /** One value per member (seed) of one layer. */
    static MeanInterval over(JsonNode summary, int layer, Function<JsonNode, Double> value) {
        return over(summary, layer, null, value);
    }

    /** One value per member of one layer, of the given seeds only (null: every member). */
    static MeanInterval over(JsonNode summary, int layer, Set<Long> seeds, Function<JsonNode, Double> value) {
        List<Double> values = new ArrayList<>();
        for (JsonNode m : summary.get("members")) {
            if (seeds != null && !seeds.contains(m.get("seed").asLong())) {
                continue;
            }
            for (JsonNode l : m.get("layers")) {
                if (l.get("layer").asInt() == layer) {
                    values.add(value.apply(l));
                }
            }
        }
        return MeanInterval.of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static String smoothLayers(JsonNode summary) {
        List<String> clear = new ArrayList<>();
        for (int layer : layers(summary)) {
            boolean every = true;
            for (JsonNode m : summary.get("members")) {
                for (JsonNode l : m.get("layers")) {
                    if (l.get("layer").asInt() == layer) {
                        JsonNode iv = l.get("marginInterval");
                        every &= iv != null && iv.isArray() && iv.get(0).isNumber() && iv.get(0).asDouble() > 0;
                    }
                }
            }
            if (every) {
                clear.add("L" + layer);
            }
        }
        return clear.isEmpty() ? "none" : String.join(", ", clear) + " of " + layers(summary).size();
    }

    static String conditions(JsonNode summary) {
        List<Integer> epochs = new ArrayList<>();
        summary.get("members").forEach(m -> epochs.add(m.get("epoch").asInt()));
        int lo = epochs.stream().mapToInt(Integer::intValue).min().orElse(0);
        int hi = epochs.stream().mapToInt(Integer::intValue).max().orElse(0);
        return epochs.size() + " seeds, epoch " + (lo == hi ? String.valueOf(lo) : lo + "-" + hi);
    }

    /** A strength as the report keys it: 0.1, 1, 0.02. */
    static String plain(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
