package org.manifoldlab.cli.status;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.manifoldlab.rundir.Columns;
import org.manifoldlab.rundir.CsvTable;
import org.manifoldlab.rundir.Manifest;
import org.manifoldlab.rundir.RunDirectory;

/**
 * What one run directory says about itself: the manifest's state (running only while its
 * process lives), progress from the last progress event, best local test accuracy from
 * train.csv, the deepest layer's last alpha from spectrum-summary.csv, and restarts from events.
 */
public record RunStatus(String id, String state, int epoch, int epochs, double progress, Long etaSeconds,
                        Double bestTestAccuracy, Integer bestLayer, Double lastAlpha, int restarts, String reason,
                        List<String> settings) {

    public static RunStatus read(Path dir) throws IOException {
        RunDirectory run = new RunDirectory(dir);
        Manifest m;
        try {
            m = run.readManifest();
        } catch (IOException e) {
            throw new IOException(run.manifest() + ": not a readable manifest: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        String state = m.observedStatus();
        double progress = m.epochs() == 0 ? 0 : (double) m.epochsCompleted() / m.epochs();
        Long eta = null;
        int restarts = 0;
        JsonNode lastProgress = null;
        if (Files.exists(run.events())) {
            try (BufferedReader in = Files.newBufferedReader(run.events(), StandardCharsets.UTF_8)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    JsonNode e;
                    try {
                        e = RunDirectory.JSON.readTree(line);
                    } catch (IOException torn) {
                        continue;  // a line cut by a kill
                    }
                    String type = e.path("type").asText();
                    if (type.equals("trainer-failed") || type.equals("analyzer-restarted") || type.equals("attacker-restarted")) {
                        restarts++;
                    } else if (type.equals("progress")) {
                        lastProgress = e;
                    }
                }
            }
        }
        if (lastProgress != null && Manifest.RUNNING.equals(state)) {
            long total = lastProgress.path("totalSteps").asLong();
            long step = lastProgress.path("step").asLong();
            progress = total > 0 ? (double) step / total : progress;
            if (lastProgress.hasNonNull("etaSeconds")) {
                long since = Duration.between(Instant.parse(lastProgress.path("ts").asText()), Instant.now()).getSeconds();
                eta = Math.max(0, lastProgress.path("etaSeconds").asLong() - since);
            }
        }
        if (Manifest.COMPLETED.equals(state)) {
            progress = 1.0;
        }
        Double best = null;
        Integer bestLayer = null;
        CsvTable train = CsvTable.read(run.trainCsv(), List.of(Columns.EPOCH, Columns.LAYER, Columns.SPLIT, Columns.ACCURACY));
        for (int r = 0; r < train.size(); r++) {
            if (train.text(r, Columns.SPLIT).equals("test")) {
                double acc = train.number(r, Columns.ACCURACY);
                if (best == null || acc > best) {
                    best = acc;
                    bestLayer = train.integer(r, Columns.LAYER);
                }
            }
        }
        Double alpha = null;
        int deepest = 0;
        int lastEpoch = -1;
        CsvTable summary = CsvTable.read(run.summaryCsv(), List.of(Columns.EPOCH, Columns.LAYER, Columns.ALPHA));
        for (int r = 0; r < summary.size(); r++) {
            int epoch = summary.integer(r, Columns.EPOCH);
            int layer = summary.integer(r, Columns.LAYER);
            if (epoch > lastEpoch || (epoch == lastEpoch && layer >= deepest)) {
                lastEpoch = epoch;
                deepest = layer;
                alpha = summary.number(r, Columns.ALPHA);
            }
        }
        List<String> settings = new ArrayList<>();
        if (Files.isRegularFile(run.spec())) {
            try {
                RunDirectory.JSON.readTree(run.spec().toFile()).path("settings").forEach(v -> settings.add(v.asText()));
            } catch (IOException e) {
                throw new IOException(run.spec() + ": not readable JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
            }
        }
        return new RunStatus(m.id(), state, m.epochsCompleted(), m.epochs(), progress, eta, best, bestLayer, alpha, restarts, m.reason(),
                List.copyOf(settings));
    }

    /** Every run under a directory: its children, and the children of sweep directories one level down. */
    public static List<Path> runsUnder(Path runsDir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (Files.isRegularFile(runsDir.resolve("manifest.json"))) {
            out.add(runsDir);
            return out;
        }
        if (!Files.isDirectory(runsDir)) {
            return out;
        }
        try (var children = Files.list(runsDir)) {
            for (Path child : children.sorted().toList()) {
                if (Files.isRegularFile(child.resolve("manifest.json"))) {
                    out.add(child);
                } else if (Files.isDirectory(child)) {
                    try (var grand = Files.list(child)) {
                        grand.sorted().filter(g -> Files.isRegularFile(g.resolve("manifest.json"))).forEach(out::add);
                    }
                }
            }
        }
        return out;
    }

}
