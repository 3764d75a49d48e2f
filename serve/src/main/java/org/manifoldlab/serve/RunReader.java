package org.manifoldlab.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.manifoldlab.rundir.Columns;
import org.manifoldlab.rundir.CsvTable;
import org.manifoldlab.rundir.FormatException;
import org.manifoldlab.rundir.Manifest;
import org.manifoldlab.rundir.RunDirectory;

/**
 * Reads what the runs page shows of a run from its directory, through rundir: the manifest, the
 * spec's settings, and the curves of train.csv and spectrum-summary.csv. Every failure is an
 * IOException whose message names the file and what was expected.
 */
final class RunReader {

    /** The spec keys a row shows after the swept ones. */
    static final List<String> MAIN_KEYS = List.of("seed", "network.widths", "network.activation", "training.mode", "training.epochs",
            "training.batchSize", "training.optimizer.learningRate");

    private RunReader() {
    }

    /** The metrics a summary needs: curves, the best test accuracy and its layer, each layer's last alpha. */
    record Metrics(Curves curves, Double bestTestAccuracy, Integer bestLayer, Map<Integer, Double> lastAlpha) {
        static final Metrics NONE = new Metrics(Curves.NONE, null, null, Map.of());
    }

    static Manifest manifest(RunDirectory run) throws IOException {
        try {
            return run.readManifest();
        } catch (IOException e) {
            throw new IOException(run.manifest() + ": expected a run's manifest (JSON with id, status, epochs): " + firstLine(e), e);
        }
    }

    static JsonNode spec(RunDirectory run) throws IOException {
        if (!Files.isRegularFile(run.spec())) {
            return RunDirectory.JSON.createObjectNode();
        }
        try {
            JsonNode spec = RunDirectory.JSON.readTree(run.spec().toFile());
            if (spec == null || !spec.isObject()) {
                throw new IOException("not a JSON object");
            }
            return spec;
        } catch (IOException e) {
            throw new IOException(run.spec() + ": expected the resolved spec as a JSON object: " + firstLine(e), e);
        }
    }

    /** The settings a sweep or an override gave the run (spec.json's settings), in their order. */
    static List<String> swept(JsonNode spec) {
        List<String> out = new ArrayList<>();
        spec.path("settings").forEach(v -> out.add(v.asText()));
        return List.copyOf(out);
    }

    /** The swept settings, then the main spec keys they do not already name. */
    static List<String> settings(JsonNode spec) {
        List<String> out = new ArrayList<>(swept(spec));
        for (String key : MAIN_KEYS) {
            if (out.stream().noneMatch(s -> s.startsWith(key + "="))) {
                JsonNode v = at(spec, key);
                if (!v.isMissingNode() && !v.isNull()) {
                    out.add(key + "=" + (v.isValueNode() ? v.asText() : v.toString()));
                }
            }
        }
        return List.copyOf(out);
    }

    static JsonNode at(JsonNode tree, String dotted) {
        JsonNode node = tree;
        for (String part : dotted.split("\\.")) {
            node = node.path(part);
        }
        return node;
    }

    static Metrics metrics(RunDirectory run) throws IOException {
        try {
            Map<Integer, List<Curves.Point>> testAccuracy = new TreeMap<>();
            Map<Integer, List<Curves.Point>> trainLoss = new TreeMap<>();
            Double best = null;
            Integer bestLayer = null;
            CsvTable train = CsvTable.read(run.trainCsv(), List.of(Columns.EPOCH, Columns.LAYER, Columns.SPLIT, Columns.LOSS, Columns.ACCURACY));
            for (int r = 0; r < train.size(); r++) {
                int epoch = train.integer(r, Columns.EPOCH);
                int layer = train.integer(r, Columns.LAYER);
                if (train.text(r, Columns.SPLIT).equals("test")) {
                    double acc = train.number(r, Columns.ACCURACY);
                    add(testAccuracy, layer, epoch, acc);
                    if (Double.isFinite(acc) && (best == null || acc > best)) {
                        best = acc;
                        bestLayer = layer;
                    }
                } else {
                    add(trainLoss, layer, epoch, train.number(r, Columns.LOSS));
                }
            }
            Map<Integer, List<Curves.Point>> alpha = new TreeMap<>();
            Map<Integer, List<Curves.Point>> pr = new TreeMap<>();
            Map<Integer, Double> lastAlpha = new TreeMap<>();
            CsvTable summary = CsvTable.read(run.summaryCsv(), List.of(Columns.EPOCH, Columns.LAYER, Columns.ALPHA, Columns.PARTICIPATION_RATIO));
            for (int r = 0; r < summary.size(); r++) {
                int epoch = summary.integer(r, Columns.EPOCH);
                int layer = summary.integer(r, Columns.LAYER);
                double a = summary.number(r, Columns.ALPHA);
                add(alpha, layer, epoch, a);
                add(pr, layer, epoch, summary.number(r, Columns.PARTICIPATION_RATIO));
                if (Double.isFinite(a)) {
                    lastAlpha.put(layer, a);
                }
            }
            return new Metrics(new Curves(freeze(testAccuracy), freeze(trainLoss), freeze(alpha), freeze(pr)), best, bestLayer,
                    Map.copyOf(lastAlpha));
        } catch (FormatException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static void add(Map<Integer, List<Curves.Point>> curves, int layer, int epoch, double value) {
        if (Double.isFinite(value)) {
            curves.computeIfAbsent(layer, l -> new ArrayList<>()).add(new Curves.Point(epoch, value));
        }
    }

    private static Map<Integer, List<Curves.Point>> freeze(Map<Integer, List<Curves.Point>> curves) {
        Map<Integer, List<Curves.Point>> out = new TreeMap<>();
        curves.forEach((layer, points) -> out.put(layer, List.copyOf(points)));
        return java.util.Collections.unmodifiableMap(out);
    }

    /**
     * The row of the runs page. State: the manifest's, except stale for a running manifest whose
     * process is gone; progress and ETA from the last progress event while running.
     */
    static RunSummary summary(String id, String sweep, Manifest m, JsonNode spec, Metrics metrics, JsonNode lastProgress, int restarts,
                              String problem) {
        String state = m.writerIsGone() ? RunSummary.STALE : m.status();
        double progress = m.epochs() == 0 ? 0 : (double) m.epochsCompleted() / m.epochs();
        String etaAt = null;
        if (lastProgress != null && Manifest.RUNNING.equals(state)) {
            long total = lastProgress.path("totalSteps").asLong();
            long step = lastProgress.path("step").asLong();
            progress = total > 0 ? (double) step / total : progress;
            if (lastProgress.hasNonNull("etaSeconds")) {
                try {
                    etaAt = Instant.parse(lastProgress.path("ts").asText()).plusSeconds(lastProgress.path("etaSeconds").asLong()).toString();
                } catch (DateTimeParseException badTime) {
                    etaAt = null;
                }
            }
        }
        if (Manifest.COMPLETED.equals(state)) {
            progress = 1.0;
        }
        return new RunSummary(id, m.name(), sweep, state, m.reason() == null ? "" : m.reason(), m.epochsCompleted(), m.epochs(),
                Math.min(1.0, progress), etaAt, metrics.bestTestAccuracy(), metrics.bestLayer(), metrics.lastAlpha(), restarts, swept(spec),
                settings(spec), m.updated(), problem);
    }

    /** A sweep member with a spec.json but no manifest yet: it has not started. */
    static RunSummary pending(String id, String sweep, JsonNode spec) {
        return new RunSummary(id, spec.path("name").asText(id.substring(id.lastIndexOf('/') + 1)), sweep, RunSummary.PENDING, "", 0,
                spec.path("training").path("epochs").asInt(0), 0, null, null, null, Map.of(), 0, swept(spec), settings(spec), null, null);
    }

    static String firstLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse("");
    }

    /** Size and modification time: a file whose signature is unchanged need not be read again. */
    static String signature(Path file) {
        try {
            var a = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
            return a.size() + "@" + a.lastModifiedTime().toMillis() + "#" + a.fileKey();
        } catch (IOException e) {
            return "absent";
        }
    }
}
