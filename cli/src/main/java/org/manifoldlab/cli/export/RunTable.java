package org.manifoldlab.cli.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.manifoldlab.rundir.Columns;
import org.manifoldlab.rundir.CsvTable;
import org.manifoldlab.rundir.Manifest;
import org.manifoldlab.rundir.RunDirectory;

/**
 * One tidy table of many runs: a row per run and layer (or per run, epoch and layer), with the
 * run's id and state, every key of its spec flattened to a dotted column (the keys its settings
 * vary first), and the layer's metrics: test loss and accuracy, and every column of the
 * spectrum summary.
 */
final class RunTable {

    private final List<Map<String, String>> rows = new ArrayList<>();
    private final Set<String> settingKeys = new LinkedHashSet<>();
    private final Set<String> specKeys = new LinkedHashSet<>();
    private final Set<String> metricKeys = new LinkedHashSet<>();

    /** Adds a run's rows: its last analysed epoch, or every epoch when perEpoch. */
    void add(Path dir, boolean perEpoch) throws IOException {
        RunDirectory run = new RunDirectory(dir);
        JsonNode spec = RunDirectory.JSON.readTree(run.spec().toFile());
        Manifest manifest = run.readManifest();
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", spec, flat);
        flat.remove("settings");
        spec.path("settings").forEach(s -> settingKeys.add(s.asText().substring(0, Math.max(0, s.asText().indexOf('=')))));
        specKeys.addAll(flat.keySet());
        Map<Integer, Map<Integer, Map<String, String>>> metrics = new TreeMap<>();  // epoch -> layer -> column -> value
        CsvTable train = CsvTable.read(run.trainCsv(), List.of(Columns.EPOCH, Columns.LAYER, Columns.SPLIT, Columns.LOSS, Columns.ACCURACY));
        for (int r = 0; r < train.size(); r++) {
            if (train.text(r, Columns.SPLIT).equals("test")) {
                Map<String, String> m = cell(metrics, train.integer(r, Columns.EPOCH), train.integer(r, Columns.LAYER));
                m.put("test_loss", train.text(r, Columns.LOSS));
                m.put("test_accuracy", train.text(r, Columns.ACCURACY));
            }
        }
        CsvTable summary = CsvTable.read(run.summaryCsv(), List.of(Columns.EPOCH, Columns.LAYER));
        for (int r = 0; r < summary.size(); r++) {
            Map<String, String> m = cell(metrics, summary.integer(r, Columns.EPOCH), summary.integer(r, Columns.LAYER));
            for (String column : summary.columns()) {
                if (!column.equals("epoch") && !column.equals("layer")) {
                    m.put(column, summary.text(r, column));
                }
            }
        }
        List<Integer> epochs = new ArrayList<>(metrics.keySet());
        List<Integer> chosen = perEpoch || epochs.isEmpty() ? epochs : List.of(epochs.get(epochs.size() - 1));
        for (int epoch : chosen) {
            for (Map.Entry<Integer, Map<String, String>> layer : metrics.get(epoch).entrySet()) {
                Map<String, String> row = new LinkedHashMap<>();
                row.put("run", run.id());
                row.put("status", manifest.observedStatus());
                row.putAll(flat);
                row.put("epoch", Integer.toString(epoch));
                row.put("layer", Integer.toString(layer.getKey()));
                row.putAll(layer.getValue());
                metricKeys.addAll(layer.getValue().keySet());
                rows.add(row);
            }
        }
        if (chosen.isEmpty()) {  // a run with no analysis yet still has its settings and state
            Map<String, String> row = new LinkedHashMap<>();
            row.put("run", run.id());
            row.put("status", manifest.observedStatus());
            row.putAll(flat);
            rows.add(row);
        }
    }

    private static Map<String, String> cell(Map<Integer, Map<Integer, Map<String, String>>> metrics, int epoch, int layer) {
        return metrics.computeIfAbsent(epoch, e -> new TreeMap<>()).computeIfAbsent(layer, l -> new LinkedHashMap<>());
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), out));
        } else {
            out.put(prefix, node.isValueNode() ? node.asText() : node.toString());
        }
    }

    /** The columns: run, status, the varied keys, every other spec key, epoch, layer, the metrics. */
    List<String> columns() {
        List<String> columns = new ArrayList<>(List.of("run", "status"));
        columns.addAll(settingKeys);
        specKeys.stream().filter(k -> !settingKeys.contains(k)).forEach(columns::add);
        columns.addAll(List.of("epoch", "layer"));
        columns.addAll(metricKeys);
        return columns;
    }

    /** CSV text: values with a comma, quote or newline are quoted (RFC 4180). */
    String csv() {
        List<String> columns = columns();
        StringBuilder out = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, String> row : rows) {
            List<String> cells = new ArrayList<>();
            for (String c : columns) {
                cells.add(quote(row.getOrDefault(c, "")));
            }
            out.append(String.join(",", cells)).append('\n');
        }
        return out.toString();
    }

    int size() {
        return rows.size();
    }

    private static String quote(String v) {
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    static boolean isRun(Path dir) {
        return Files.isRegularFile(dir.resolve("spec.json")) && Files.isRegularFile(dir.resolve("manifest.json"));
    }
}
