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
import org.manifoldlab.actors.run.Manifest;
import org.manifoldlab.actors.run.RunDirectory;
import org.manifoldlab.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lab status [RUNS_DIR|RUN_DIR] [--json] [--follow]}. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"A table of runs: id, state (running, completed, failed, interrupted), epoch, progress, ETA,",
                "best local test accuracy (and its layer), the deepest layer's last alpha, restarts.",
                "With --follow on one run: its events as readable lines until it ends."})
public final class StatusCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "DIR", defaultValue = "runs", description = "a runs directory, a sweep or one run (default: ${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--json", description = "one JSON array, for programs")
    boolean json;

    @Option(names = "--follow", description = "tail one run's events until it completes or fails")
    boolean follow;

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
            System.err.println("lab: " + dir + ": no such directory");
            return ExitCodes.BAD_INPUT;
        }
        List<RunStatus> runs = new ArrayList<>();
        for (Path run : RunStatus.runsUnder(dir)) {
            try {
                runs.add(RunStatus.read(run));
            } catch (IOException e) {  // one unreadable run does not hide the others
                System.err.println("lab: skipped " + run.getFileName() + ": " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        if (json) {
            out.println(RunDirectory.JSON.writeValueAsString(runs));
        } else {
            out.printf("%-36s %-11s %7s %8s %8s %14s %8s %8s%n", "run", "state", "epoch", "progress", "eta", "best test acc", "alpha", "restarts");
            for (RunStatus r : runs) {
                out.printf("%-36s %-11s %7s %7.0f%% %8s %14s %8s %8d%n", r.id(), r.state(), r.epoch() + "/" + r.epochs(),
                        100 * r.progress(), r.etaSeconds() == null ? "-" : Progress.eta(r.etaSeconds()),
                        r.bestTestAccuracy() == null ? "-" : String.format("%.4f (L%d)", r.bestTestAccuracy(), r.bestLayer()),
                        r.lastAlpha() == null ? "-" : String.format("%.3f", r.lastAlpha()), r.restarts());
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

    /** "12:03:04 epoch-trained epoch=3 ..." from one event. */
    static String readable(JsonNode e) {
        String ts = e.path("ts").asText();
        StringBuilder s = new StringBuilder(ts.length() >= 19 ? ts.substring(11, 19) : ts).append(' ').append(e.path("type").asText());
        for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (List.of("ts", "type", "experiment", "actor").contains(f.getKey())) {
                continue;
            }
            JsonNode v = f.getValue();
            s.append(' ').append(f.getKey()).append('=').append(v instanceof ArrayNode || v.isObject() ? v.toString() : v.asText());
        }
        return s.toString();
    }
}
