package org.manifoldlab.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.manifoldlab.rundir.Columns;
import org.manifoldlab.rundir.Csv;
import org.manifoldlab.rundir.Manifest;
import org.manifoldlab.rundir.RunDirectory;

/**
 * Writes run directories as a run's recorder does, through rundir's formats: a manifest, a spec,
 * the metrics rows of each epoch (train, spectrum, its summary, robustness) and the events. The
 * values follow simple known laws, so a test can compute what the server must show.
 */
final class TestRuns {

    static final int LAYERS = 3;
    static final int RANKS = 60;

    private TestRuns() {
    }

    /** A run directory with its spec and a manifest of this process (alive: a running run is not stale). */
    static RunDirectory create(Path parent, String id, int epochs, List<String> settings) throws IOException {
        RunDirectory run = new RunDirectory(parent.resolve(id));
        Files.createDirectories(run.metrics());
        ObjectNode spec = RunDirectory.JSON.createObjectNode().put("name", id.replaceAll("-\\d.*", "")).put("seed", 1);
        spec.putObject("network").putArray("widths").add(100).add(100).add(100);
        spec.putObject("training").put("epochs", epochs).put("mode", "local");
        settings.forEach(spec.putArray("settings")::add);
        RunDirectory.writeAtomically(run.spec(), RunDirectory.JSON.writeValueAsBytes(spec));
        manifest(run, Manifest.RUNNING, epochs, 0, ProcessHandle.current().pid());
        event(run, "experiment-started", Map.of("runDir", run.root().toString(), "groups", LAYERS, "fromEpoch", 0));
        return run;
    }

    static void manifest(RunDirectory run, String status, int epochs, int done, long pid) throws IOException {
        String now = Instant.now().toString();
        run.writeManifest(new Manifest(run.id(), "test", 1, "test", status, epochs, done, "", "", now, now, Manifest.thisHost(), pid));
    }

    /** The pid of a process that has ended. */
    static long deadPid() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    /** Test accuracy of a layer after an epoch: rises with the epoch, falls with the layer. */
    static double testAccuracy(int epoch, int layer) {
        return 0.5 + 0.4 * (1 - Math.pow(0.5, epoch)) - 0.02 * layer;
    }

    static double alpha(int epoch, int layer) {
        return 1.0 + 0.1 * epoch + 0.05 * layer;
    }

    /** One epoch as the recorder writes it: train rows, the epoch-trained event, then the analysis' rows and events. */
    static void epoch(RunDirectory run, int epoch, int epochs) throws IOException {
        List<Csv.Row> train = new ArrayList<>();
        for (int l = 1; l <= LAYERS; l++) {
            train.add(new Csv.TrainRow(epoch, l, "train", 1.0 / epoch + 0.1 * l, testAccuracy(epoch, l) + 0.01, 8000));
        }
        append(run.trainCsv(), RunDirectory.TRAIN_COLUMNS, train);
        progress(run, epoch, epoch * 10L, epochs * 10L, 30);
        event(run, "epoch-trained", Map.of("epoch", epoch, "step", epoch * 10, "layers", List.of()));
        List<Csv.Row> test = new ArrayList<>();
        List<Csv.Row> spectrum = new ArrayList<>();
        List<Csv.Row> summary = new ArrayList<>();
        List<Csv.Row> robustness = new ArrayList<>();
        for (int l = 1; l <= LAYERS; l++) {
            test.add(new Csv.TrainRow(epoch, l, "test", 1.0 / epoch + 0.2 * l, testAccuracy(epoch, l), 2000));
            for (int n = 1; n <= RANKS; n++) {
                spectrum.add(new Csv.SpectrumRow(epoch, l, n, 3.0 * Math.pow(n, -alpha(epoch, l))));
            }
            Map<String, Object> row = new java.util.LinkedHashMap<>();
            RunDirectory.SUMMARY_COLUMNS.forEach(c -> row.put(c, Double.NaN));
            row.put(Columns.EPOCH, epoch);
            row.put(Columns.LAYER, l);
            row.put(Columns.ALPHA, alpha(epoch, l));
            row.put(Columns.ALPHA_LO, alpha(epoch, l) - 0.05);
            row.put(Columns.ALPHA_HI, alpha(epoch, l) + 0.05);
            row.put(Columns.R2, 0.99);
            row.put(Columns.FIT_LO, 5);
            row.put(Columns.FIT_HI, 30);
            row.put(Columns.PARTICIPATION_RATIO, 10.0 / l + epoch);
            row.put(Columns.METHOD, "ols");
            row.put(Columns.WINDOW, "auto");
            row.put(Columns.DIM_SOURCE, "spec");
            summary.add(new Csv.SummaryRow(row));
            for (String attack : List.of("gaussian", "fgsm")) {
                for (double s : new double[] {0, 0.1, 0.2}) {
                    double acc = testAccuracy(epoch, l) * (1 - s * (attack.equals("fgsm") ? 2 : 1));
                    robustness.add(new Csv.RobustnessRow(epoch, l, attack, s, acc, acc - 0.01, s, s * 10, 2000,
                            attack.equals("fgsm") ? "label" : "none", "ok"));
                }
            }
        }
        append(run.trainCsv(), RunDirectory.TRAIN_COLUMNS, test);
        append(run.spectrumCsv(), RunDirectory.SPECTRUM_COLUMNS, spectrum);
        append(run.summaryCsv(), RunDirectory.SUMMARY_COLUMNS, summary);
        append(run.robustnessCsv(), RunDirectory.ROBUSTNESS_COLUMNS, robustness);
        event(run, "analysis-completed", Map.of("epoch", epoch, "layers", List.of()));
        manifest(run, Manifest.RUNNING, epochs, epoch, ProcessHandle.current().pid());
    }

    static void progress(RunDirectory run, int epoch, long step, long total, long etaSeconds) throws IOException {
        event(run, "progress", Map.of("epoch", epoch, "step", step, "totalSteps", total, "etaSeconds", etaSeconds, "samplesPerSecond", 1000));
    }

    static void event(RunDirectory run, String type, Map<String, Object> fields) throws IOException {
        ObjectNode e = RunDirectory.JSON.createObjectNode().put("ts", Instant.now().toString()).put("experiment", run.id())
                .put("actor", "test").put("type", type);
        e.setAll((ObjectNode) RunDirectory.JSON.valueToTree(fields));
        Files.writeString(run.events(), e.toString().replace('\n', ' ') + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    static void append(Path file, List<String> columns, List<Csv.Row> rows) throws IOException {
        StringBuilder text = new StringBuilder();
        if (!Files.exists(file) || Files.size(file) == 0) {
            text.append(String.join(",", columns)).append('\n');
        }
        for (Csv.Row r : rows) {
            text.append(Csv.line(r.values())).append('\n');
        }
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
