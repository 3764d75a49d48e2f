package org.manifoldlab.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.manifoldlab.rundir.Columns;
import org.manifoldlab.rundir.CsvTable;
import org.manifoldlab.rundir.FormatException;
import org.manifoldlab.rundir.RunDirectory;

/**
 * What a run's page shows, as one JSON object read from its directory: per layer and epoch the
 * local loss and accuracy (train and test), alpha with its interval, R^2, the fit window and the
 * participation ratio; accuracy per attack and strength at the latest analysis; the latest
 * analysis' spectrum with its fit window and the fitted line; settings, provenance and files.
 * Columns are arrays indexed alike ("epoch": [1, 2], "alpha": [1.6, 1.7]). NaN is written as the
 * string "NaN", which the page reads as a missing value.
 */
final class RunDetail {

    private RunDetail() {
    }

    /** The part read from the metrics files, spec and manifest: read again only when one of them changed. */
    static ObjectNode fromFiles(RunDirectory run, JsonNode spec, JsonNode manifest) throws IOException {
        ObjectNode d = RunDirectory.JSON.createObjectNode();
        try {
            d.set("train", train(run));
            d.set("spectrumSummary", spectrumSummary(run));
            d.set("robustness", robustness(run));
            d.set("spectrum", spectrum(run));
        } catch (FormatException e) {
            throw new IOException(e.getMessage(), e);
        }
        d.set("spec", spec);
        d.set("manifest", manifest);
        d.set("files", files(run));
        d.put("report", Files.isRegularFile(run.root().resolve("report/index.html")) ? "report/index.html" : null);
        return d;
    }

    /** The whole page's data: the files' part (not changed) with the run's row, its recent events, last progress and problems. */
    static ObjectNode compose(ObjectNode fromFiles, RunSummary summary, List<JsonNode> recent, JsonNode lastProgress, List<String> problems) {
        ObjectNode d = RunDirectory.JSON.createObjectNode();
        d.set("summary", RunDirectory.JSON.valueToTree(summary));
        if (fromFiles != null) {
            d.setAll(fromFiles);
        }
        ArrayNode events = d.putArray("events");
        recent.forEach(events::add);
        d.set("progress", lastProgress);
        ArrayNode bad = d.putArray("problems");
        problems.forEach(bad::add);
        return d;
    }

    /** {"1": {"epoch": [...], "trainLoss": [...], "trainAccuracy": [...], "testLoss": [...], "testAccuracy": [...]}}. */
    private static ObjectNode train(RunDirectory run) throws IOException {
        CsvTable t = CsvTable.read(run.trainCsv(), List.of(Columns.EPOCH, Columns.LAYER, Columns.SPLIT, Columns.LOSS, Columns.ACCURACY));
        // layer -> epoch -> {train loss, train accuracy, test loss, test accuracy}
        Map<Integer, TreeMap<Integer, double[]>> byLayer = new TreeMap<>();
        for (int r = 0; r < t.size(); r++) {
            double[] v = byLayer.computeIfAbsent(t.integer(r, Columns.LAYER), l -> new TreeMap<>())
                    .computeIfAbsent(t.integer(r, Columns.EPOCH), e -> new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN});
            int at = t.text(r, Columns.SPLIT).equals("test") ? 2 : 0;
            v[at] = t.number(r, Columns.LOSS);
            v[at + 1] = t.number(r, Columns.ACCURACY);
        }
        ObjectNode out = RunDirectory.JSON.createObjectNode();
        byLayer.forEach((layer, epochs) -> {
            ObjectNode l = out.putObject(Integer.toString(layer));
            ArrayNode epoch = l.putArray("epoch");
            ArrayNode[] cols = {l.putArray("trainLoss"), l.putArray("trainAccuracy"), l.putArray("testLoss"), l.putArray("testAccuracy")};
            epochs.forEach((e, v) -> {
                epoch.add(e);
                for (int i = 0; i < 4; i++) {
                    cols[i].add(v[i]);
                }
            });
        });
        return out;
    }

    private static final String[][] SUMMARY_FIELDS = {{"alpha", Columns.ALPHA}, {"alphaLo", Columns.ALPHA_LO}, {"alphaHi", Columns.ALPHA_HI},
            {"r2", Columns.R2}, {"fitLo", Columns.FIT_LO}, {"fitHi", Columns.FIT_HI}, {"participationRatio", Columns.PARTICIPATION_RATIO},
            {"prLo", Columns.PR_LO}, {"prHi", Columns.PR_HI}, {"rank", Columns.RANK}, {"smoothnessMargin", Columns.SMOOTHNESS_MARGIN}};

    /** {"1": {"epoch": [...], "alpha": [...], "alphaLo": [...], ...}}; a column an older run lacks is NaN. */
    private static ObjectNode spectrumSummary(RunDirectory run) throws IOException {
        CsvTable t = CsvTable.read(run.summaryCsv(), List.of(Columns.EPOCH, Columns.LAYER, Columns.ALPHA));
        ObjectNode out = RunDirectory.JSON.createObjectNode();
        for (int r = 0; r < t.size(); r++) {
            String layer = Integer.toString(t.integer(r, Columns.LAYER));
            ObjectNode l = out.has(layer) ? (ObjectNode) out.get(layer) : out.putObject(layer);
            l.withArray("epoch").add(t.integer(r, Columns.EPOCH));
            for (String[] f : SUMMARY_FIELDS) {
                l.withArray(f[0]).add(t.has(f[1]) ? t.number(r, f[1]) : Double.NaN);
            }
        }
        return out;
    }

    /** The latest analysis' attacks: {"epoch": E, "attacks": {"fgsm": {"1": {"strength": [...], "accuracy": [...], "robustAccuracy": [...]}}}}. */
    private static ObjectNode robustness(RunDirectory run) throws IOException {
        CsvTable t = CsvTable.read(run.robustnessCsv(), List.of(Columns.EPOCH, Columns.LAYER, Columns.ATTACK, Columns.STRENGTH, Columns.ACCURACY));
        int last = -1;
        for (int r = 0; r < t.size(); r++) {
            last = Math.max(last, t.integer(r, Columns.EPOCH));
        }
        ObjectNode out = RunDirectory.JSON.createObjectNode();
        out.put("epoch", last < 0 ? null : last);
        ObjectNode attacks = out.putObject("attacks");
        for (int r = 0; r < t.size(); r++) {
            if (t.integer(r, Columns.EPOCH) != last) {
                continue;
            }
            String attack = t.text(r, Columns.ATTACK) + (t.has(Columns.TARGET) && !"none".equals(t.text(r, Columns.TARGET))
                    && !"label".equals(t.text(r, Columns.TARGET)) ? " (" + t.text(r, Columns.TARGET) + ")" : "");
            ObjectNode a = attacks.has(attack) ? (ObjectNode) attacks.get(attack) : attacks.putObject(attack);
            String layer = Integer.toString(t.integer(r, Columns.LAYER));
            ObjectNode l = a.has(layer) ? (ObjectNode) a.get(layer) : a.putObject(layer);
            l.withArray("strength").add(t.number(r, Columns.STRENGTH));
            l.withArray("accuracy").add(t.number(r, Columns.ACCURACY));
            l.withArray("robustAccuracy").add(t.has(Columns.ROBUST_ACCURACY) ? t.number(r, Columns.ROBUST_ACCURACY) : Double.NaN);
        }
        return out;
    }

    /**
     * The latest analysis' spectrum per layer: ranks, eigenvalues, the fit window [fitLo, fitHi]
     * and the fitted power law as log10(lambda) = intercept - alpha log10(n), the least-squares
     * line through the window's points with the summary's slope (it passes through their centroid).
     */
    private static ObjectNode spectrum(RunDirectory run) throws IOException {
        CsvTable t = CsvTable.read(run.spectrumCsv(), List.of(Columns.EPOCH, Columns.LAYER, Columns.RANK, Columns.EIGENVALUE));
        int last = -1;
        for (int r = 0; r < t.size(); r++) {
            last = Math.max(last, t.integer(r, Columns.EPOCH));
        }
        ObjectNode out = RunDirectory.JSON.createObjectNode();
        out.put("epoch", last < 0 ? null : last);
        ObjectNode layers = out.putObject("layers");
        for (int r = 0; r < t.size(); r++) {
            if (t.integer(r, Columns.EPOCH) != last) {
                continue;
            }
            String layer = Integer.toString(t.integer(r, Columns.LAYER));
            ObjectNode l = layers.has(layer) ? (ObjectNode) layers.get(layer) : layers.putObject(layer);
            l.withArray("rank").add(t.integer(r, Columns.RANK));
            l.withArray("eigenvalue").add(t.number(r, Columns.EIGENVALUE));
        }
        CsvTable s = CsvTable.read(run.summaryCsv(), List.of(Columns.EPOCH, Columns.LAYER, Columns.ALPHA, Columns.FIT_LO, Columns.FIT_HI));
        for (int r = 0; r < s.size(); r++) {
            String layer = Integer.toString(s.integer(r, Columns.LAYER));
            if (s.integer(r, Columns.EPOCH) != last || !layers.has(layer)) {
                continue;
            }
            ObjectNode l = (ObjectNode) layers.get(layer);
            double alpha = s.number(r, Columns.ALPHA);
            double lo = s.number(r, Columns.FIT_LO);
            double hi = s.number(r, Columns.FIT_HI);
            l.put("alpha", alpha).put("fitLo", lo).put("fitHi", hi);
            double sumX = 0;
            double sumY = 0;
            int n = 0;
            ArrayNode ranks = l.withArray("rank");
            ArrayNode values = l.withArray("eigenvalue");
            for (int i = 0; i < ranks.size(); i++) {
                double rank = ranks.get(i).asDouble();
                double lambda = values.get(i).asDouble();
                if (rank >= lo && rank <= hi && lambda > 0) {
                    sumX += Math.log10(rank);
                    sumY += Math.log10(lambda);
                    n++;
                }
            }
            l.put("intercept", n == 0 || !Double.isFinite(alpha) ? Double.NaN : sumY / n + alpha * sumX / n);
        }
        return out;
    }

    /** The files a reader may open: the run's own files, its metrics and its report's page (paths relative to the run). */
    private static ArrayNode files(RunDirectory run) throws IOException {
        ArrayNode out = RunDirectory.JSON.createArrayNode();
        for (Path dir : List.of(run.root(), run.metrics())) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (var list = Files.list(dir)) {
                for (Path p : list.sorted().toList()) {
                    String name = p.getFileName().toString();
                    if (Files.isRegularFile(p) && !name.startsWith(".") && !name.endsWith(".tmp")) {
                        out.addObject().put("path", run.root().relativize(p).toString()).put("bytes", Files.size(p));
                    }
                }
            }
        }
        for (String extra : List.of("report/index.html", "report/summary.json")) {
            Path p = run.root().resolve(extra);
            if (Files.isRegularFile(p)) {
                out.addObject().put("path", extra).put("bytes", Files.size(p));
            }
        }
        return out;
    }
}
