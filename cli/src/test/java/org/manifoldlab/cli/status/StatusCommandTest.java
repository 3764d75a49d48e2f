package org.manifoldlab.cli.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.rundir.Manifest;
import org.manifoldlab.rundir.RunDirectory;
import picocli.CommandLine;

/** Run directories prepared in each state; status must read each right, as a table and as JSON. */
class StatusCommandTest {

    @TempDir
    Path runs;

    private void prepare(String id, String status, int done, long pid, String reason) throws IOException {
        Path dir = Files.createDirectories(runs.resolve(id).resolve("metrics"));
        RunDirectory run = new RunDirectory(runs.resolve(id));
        String now = Instant.now().toString();
        run.writeManifest(new Manifest(id, id, 1, "test", status, 4, done, status.equals("completed") ? "ab12" : "", reason,
                now, now, Manifest.thisHost(), pid));
        Files.writeString(dir.resolve("train.csv"), """
                epoch,layer,split,loss,accuracy,samples
                1,1,train,0.5,0.80,100
                1,1,test,0.4,0.85,50
                1,2,test,0.3,0.91,50
                """);
        Files.writeString(dir.resolve("spectrum-summary.csv"), """
                epoch,layer,alpha,r2,fit_lo,fit_hi,points,participation_ratio,n90,n95,smoothness_margin,samples
                1,1,1.25,0.99,2,10,9,3.0,2,3,0.25,50
                1,2,1.75,0.98,2,10,9,2.0,1,2,0.75,50
                """);
        String ts = Instant.now().toString();
        Files.writeString(run.events(), """
                {"ts":"%s","experiment":"%s","actor":"a","type":"experiment-started"}
                {"ts":"%s","experiment":"%s","actor":"a","type":"trainer-failed","cause":"x"}
                {"ts":"%s","experiment":"%s","actor":"a","type":"progress","epoch":2,"step":150,"totalSteps":400,"etaSeconds":600}
                """.formatted(ts, id, ts, id, ts, id));
    }

    @BeforeEach
    void runsInEveryState() throws IOException {
        long alive = ProcessHandle.current().pid();
        long gone = deadPid();
        prepare("a-running", Manifest.RUNNING, 1, alive, "");
        prepare("b-completed", Manifest.COMPLETED, 4, gone, "");
        prepare("c-failed", Manifest.FAILED, 2, gone, "layer 1 loss is NaN at step 7 (diverged)");
        prepare("d-interrupted", Manifest.RUNNING, 3, gone, "");
    }

    /** A pid no process has: one that has just exited. */
    private static long deadPid() throws IOException {
        try {
            Process p = new ProcessBuilder("true").start();
            p.waitFor();
            return p.pid();
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    private String status(String... args) {
        StatusCommand command = new StatusCommand();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        command.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertEquals(0, new CommandLine(command).execute(args));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void tableShowsEachStateAndItsNumbers() {
        List<String> lines = status(runs.toString()).lines().toList();
        assertEquals(5, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(1).matches("a-running\\s+running\\s+1/4\\s+38%\\s+\\d+m\\d\\ds\\s+0\\.9100 \\(L2\\)\\s+1\\.750\\s+1"), lines.get(1));
        assertTrue(lines.get(2).matches("b-completed\\s+completed\\s+4/4\\s+100%\\s+-\\s+0\\.9100 \\(L2\\)\\s+1\\.750\\s+1"), lines.get(2));
        assertTrue(lines.get(3).matches("c-failed\\s+failed\\s+2/4\\s+50%\\s+-\\s+0\\.9100 \\(L2\\)\\s+1\\.750\\s+1"), lines.get(3));
        assertTrue(lines.get(4).matches("d-interrupted\\s+interrupted\\s+3/4\\s+75%\\s+-\\s+0\\.9100 \\(L2\\)\\s+1\\.750\\s+1"), lines.get(4));
    }

    @Test
    void jsonCarriesTheSameFacts() throws IOException {
        JsonNode runsJson = RunDirectory.JSON.readTree(status(runs.toString(), "--json"));
        assertEquals(4, runsJson.size());
        assertEquals(List.of("running", "completed", "failed", "interrupted"),
                List.of(runsJson.get(0).get("state").asText(), runsJson.get(1).get("state").asText(),
                        runsJson.get(2).get("state").asText(), runsJson.get(3).get("state").asText()));
        assertEquals(0.375, runsJson.get(0).get("progress").asDouble(), 1e-12);
        assertTrue(runsJson.get(0).get("etaSeconds").asLong() <= 600);
        assertEquals(0.91, runsJson.get(1).get("bestTestAccuracy").asDouble(), 1e-12);
        assertEquals(2, runsJson.get(1).get("bestLayer").asInt());
        assertEquals(1.75, runsJson.get(2).get("lastAlpha").asDouble(), 1e-12);
        assertEquals("layer 1 loss is NaN at step 7 (diverged)", runsJson.get(2).get("reason").asText());
        assertEquals(1, runsJson.get(3).get("restarts").asInt());
    }

    @Test
    void followPrintsEveryEventOfAnEndedRunThenItsState() {
        List<String> lines = status(runs.resolve("b-completed").toString(), "--follow").lines().toList();
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).endsWith(" experiment-started"), lines.get(0));
        assertTrue(lines.get(2).contains(" progress epoch=2 step=150 totalSteps=400 etaSeconds=600"), lines.get(2));
        assertEquals("-- b-completed completed", lines.get(3));
    }
}
