package org.manifoldlab.cli.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import org.manifoldlab.actors.monitor.Progress;
import org.manifoldlab.cli.ExitCodes;
import org.manifoldlab.rundir.Manifest;
import org.manifoldlab.rundir.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lab status [RUNS_DIR|RUN_DIR] [--json] [--follow]}. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"A table of runs: id, state (running, completed, failed, interrupted), epoch, progress, ETA, best local test accuracy (and its layer), the deepest layer's last alpha, restarts.",
                "With --follow on one run: its events as readable lines until it ends."})
public final class StatusCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "DIR", defaultValue = "runs", description = "a runs directory, a sweep or one run (default: ${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--json", description = "one JSON array, for programs")
    boolean json;

    @Option(names = "--follow", description = "tail one run's events until it completes or fails")
    boolean follow;

    @Option(names = "--where", paramLabel = "KEY=VALUE", description = "only runs whose spec has this value (network.widths=[500,500]) or whose state is this (state=failed); repeatable")
    List<String> where = new ArrayList<>();

    @Option(names = "--sort", paramLabel = "FIELD", description = {"order by id (default), state, epoch, best, alpha, restarts or a spec key (training.epochs); best and alpha highest first"}, defaultValue = "id")
    String sort;

    PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        if (follow) {
            if (!Files.isRegularFile(dir.resolve("manifest.json"))) {
                System.err.println("lab: " + dir + ": --follow needs one run directory (with manifest.json)");
                return ExitCodes.BAD_INPUT;
            }
            return follow(new RunDirectory(dir));
        }
        if (!Files.isDirectory(dir)) {
            if (dir.equals(Path.of("runs"))) {
                out.println("No runs yet: " + dir.toAbsolutePath() + " does not exist (lab run makes it).");
                return ExitCodes.OK;
            }
            System.err.println("lab: " + dir + ": no such directory");
            return ExitCodes.BAD_INPUT;
        }
        RunFilter filter;
        try {
            filter = RunFilter.of(where, sort);
        } catch (IllegalArgumentException e) {
            System.err.println("lab: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        List<RunStatus> runs = new ArrayList<>();
        for (Path run : RunStatus.runsUnder(dir)) {
            try {
                RunStatus status = RunStatus.read(run);
                if (filter.keeps(run, status)) {
                    runs.add(status);
                }
            } catch (IOException e) {  // one unreadable run does not hide the others
                System.err.println("lab: skipped " + run.getFileName() + ": " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        filter.sort(runs);
        if (runs.isEmpty() && !json) {
            out.println("No runs under " + dir + (where.isEmpty() ? "" : " match " + String.join(" ", where)) + ".");
            return ExitCodes.OK;
        }
        if (json) {
            out.println(RunDirectory.JSON.writeValueAsString(runs));
        } else {
            out.printf("%-36s %-11s %7s %8s %8s %14s %8s %8s  %s%n", "run", "state", "epoch", "progress", "eta", "best test acc", "alpha",
                    "restarts", runs.stream().anyMatch(r -> !r.settings().isEmpty()) ? "settings" : "");
            for (RunStatus r : runs) {
                out.println(String.format("%-36s %-11s %7s %7.0f%% %8s %14s %8s %8d  %s", r.id(), r.state(), r.epoch() + "/" + r.epochs(),
                        100 * r.progress(), r.etaSeconds() == null ? "-" : Progress.eta(r.etaSeconds()),
                        r.bestTestAccuracy() == null ? "-" : String.format("%.4f (L%d)", r.bestTestAccuracy(), r.bestLayer()),
                        r.lastAlpha() == null ? "-" : String.format("%.3f", r.lastAlpha()), r.restarts(), String.join(" ", r.settings()))
                        .stripTrailing());
            }
        }
        return ExitCodes.OK;
    }

    /** Prints each event as it is appended, until the manifest says the run ended or its process is gone. */
    private int follow(RunDirectory run) throws IOException {
        long offset = 0;
        while (true) {
            offset = printNew(run, offset);
            String state = run.readManifest().observedStatus();
            if (!Manifest.RUNNING.equals(state)) {
                printNew(run, offset);
                out.println("-- " + run.id() + " " + state);
                return Manifest.COMPLETED.equals(state) ? ExitCodes.OK : ExitCodes.FAILED;
            }
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
        }
    }

    private long printNew(RunDirectory run, long offset) throws IOException {
        if (!Files.exists(run.events())) {
            return offset;
        }
        byte[] all = Files.readAllBytes(run.events());
        int end = all.length;
        while (end > offset && all[end - 1] != '\n') {
            end--;  // an unfinished last line waits for the next look
        }
        if (end <= offset) {
            return offset;
        }
        String chunk = new String(all, (int) offset, (int) (end - offset), StandardCharsets.UTF_8);
        try (BufferedReader in = new BufferedReader(new java.io.StringReader(chunk))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.println(readable(RunDirectory.JSON.readTree(line)));
            }
        }
        return end;
    }

    /**
     * "12:03:04 epoch-trained epoch=3 step=375" from one event: numbers rounded to 4 significant
     * digits, and each element of a list of results (layers, attacks) on a line of its own.
     */
    static String readable(JsonNode e) {
        String ts = e.path("ts").asText();
        StringBuilder s = new StringBuilder(ts.length() >= 19 ? ts.substring(11, 19) : ts).append(' ').append(e.path("type").asText());
        List<String> details = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (List.of("ts", "type", "experiment", "actor").contains(f.getKey())) {
                continue;
            }
            JsonNode v = f.getValue();
            if (v instanceof ArrayNode list && !list.isEmpty() && list.get(0).isObject()) {
                list.forEach(item -> details.add("    " + f.getKey() + ": " + flat(item)));
            } else {
                s.append(' ').append(f.getKey()).append('=').append(value(v));
            }
        }
        details.forEach(d -> s.append('\n').append(d));
        return s.toString();
    }

    private static String flat(JsonNode object) {
        StringBuilder s = new StringBuilder();
        object.fields().forEachRemaining(f -> s.append(s.length() == 0 ? "" : " ").append(f.getKey()).append('=').append(value(f.getValue())));
        return s.toString();
    }

    private static String value(JsonNode v) {
        if (v.isFloatingPointNumber()) {
            double d = v.doubleValue();
            return Double.isFinite(d) ? new java.math.BigDecimal(d).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString()
                    : v.asText();
        }
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(x -> items.add(value(x)));
            return "[" + String.join(", ", items) + "]";
        }
        return v.isObject() ? "{" + flat(v) + "}" : v.asText();
    }
}
