package org.manifoldlab.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.config.Specs;
import org.manifoldlab.rundir.Manifest;
import org.manifoldlab.rundir.RunDirectory;
import org.manifoldlab.rundir.SweepPlan;

/** Every route of the server, against run directories written as runs write them. */
class RoutesTest {

    @TempDir
    static Path runs;

    static LabServer server;
    static HttpClient http = HttpClient.newHttpClient();
    static String base;
    static String member1;
    static String member2;

    @BeforeAll
    static void start() throws Exception {
        RunDirectory done = TestRuns.create(runs, "done-20260101-000001", 3, List.of());
        for (int e = 1; e <= 3; e++) {
            TestRuns.epoch(done, e, 3);
        }
        TestRuns.manifest(done, Manifest.COMPLETED, 3, 3, ProcessHandle.current().pid());
        RunDirectory live = TestRuns.create(runs, "live-20260101-000002", 4, List.of("training.epochs=4"));
        TestRuns.epoch(live, 1, 4);
        TestRuns.epoch(live, 2, 4);
        TestRuns.progress(live, 3, 25, 40, 30);
        RunDirectory dead = TestRuns.create(runs, "dead-20260101-000003", 4, List.of());
        TestRuns.manifest(dead, Manifest.RUNNING, 4, 0, TestRuns.deadPid());
        RunDirectory broken = TestRuns.create(runs, "broken-20260101-000004", 2, List.of());
        Files.writeString(broken.manifest(), "{ this is not json");
        RunDirectory badCsv = TestRuns.create(runs, "badcsv-20260101-000005", 2, List.of());
        Files.writeString(badCsv.trainCsv(), "epoch,layer,loss,accuracy,samples\n1,1,0.5,0.9,100\n");
        Files.writeString(runs.resolve("notes.txt"), "not a run");
        var experiments = Specs.fromTree("study.yaml", Specs.YAML.readTree("name: study\nsweep: {seed: [1, 2]}"), s -> null).experiments();
        List<SweepPlan.Member> members = SweepPlan.write(runs.resolve("study-x"), "study", Path.of("study.yaml"), experiments);
        member1 = "study-x/" + members.get(0).runDir().getFileName();
        member2 = "study-x/" + members.get(1).runDir().getFileName();
        RunDirectory m1 = new RunDirectory(members.get(0).runDir());
        Files.createDirectories(m1.metrics());
        TestRuns.manifest(m1, Manifest.RUNNING, 2, 0, ProcessHandle.current().pid());
        TestRuns.epoch(m1, 1, 2);
        server = LabServer.start(runs, "127.0.0.1", 0, Duration.ofMillis(200), new RunFollower.Intervals(Duration.ofMillis(50), Duration.ofMillis(200)));
        base = "http://127.0.0.1:" + server.port();
        awaitRuns(r -> r.path("runs").size() >= 7);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"), path);
        return RunDirectory.JSON.readTree(r.body());
    }

    /** Polls /api/runs until it holds what a test waits for (the catalog lists the directory every 200 ms here). */
    static JsonNode awaitRuns(java.util.function.Predicate<JsonNode> ready) {
        JsonNode[] last = {null};
        Await.until(java.time.Duration.ofSeconds(60), java.time.Duration.ofMillis(50), () -> {
            last[0] = json("/api/runs");
            assertTrue(ready.test(last[0]), "/api/runs did not get there within 60 s: " + last[0]);
        });
        return last[0];
    }

    static JsonNode run(JsonNode runsJson, String id) {
        for (JsonNode r : runsJson.path("runs")) {
            if (r.path("id").asText().equals(id)) {
                return r;
            }
        }
        throw new AssertionError("no run " + id + " in " + runsJson);
    }

    static List<Double> numbers(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asDouble).toList();
    }

    @Test
    void pagesAndAssetsComeFromTheJarAndNeedNothingFromOutside() throws Exception {
        for (String page : List.of("/", "/run?id=done-20260101-000001", "/sweep?id=study-x")) {
            HttpResponse<String> r = get(page);
            assertEquals(200, r.statusCode(), page);
            assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/html"), page);
            assertTrue(r.body().contains("<script src=\"assets/app.js\">"), page);
        }
        for (String asset : Routes.ASSETS) {
            HttpResponse<String> r = get("/assets/" + asset);
            assertEquals(200, r.statusCode(), asset);
            assertTrue(r.headers().firstValue("content-type").orElse("").startsWith(asset.endsWith(".css") ? "text/css" : "application/javascript"), asset);
            assertFalse(r.body().replace("http://www.w3.org/2000/svg", "").matches("(?s).*https?://.*"), asset + " loads nothing from the network");
        }
        assertEquals(404, get("/assets/nothing.js").statusCode());
        assertEquals(404, get("/nowhere").statusCode());
    }

    @Test
    void theRunsListSaysWhatEachDirectoryHolds() throws Exception {
        JsonNode all = awaitRuns(r -> r.path("runs").size() >= 7);
        JsonNode done = run(all, "done-20260101-000001");
        assertEquals(Manifest.COMPLETED, done.path("state").asText(), done.toString());
        assertEquals(1.0, done.path("progress").asDouble());
        double best = 0;
        int bestLayer = 0;
        for (int e = 1; e <= 3; e++) {
            for (int l = 1; l <= TestRuns.LAYERS; l++) {
                if (TestRuns.testAccuracy(e, l) > best) {
                    best = TestRuns.testAccuracy(e, l);
                    bestLayer = l;
                }
            }
        }
        assertEquals(best, done.path("bestTestAccuracy").asDouble(), 1e-12);
        assertEquals(bestLayer, done.path("bestLayer").asInt());
        for (int l = 1; l <= TestRuns.LAYERS; l++) {
            assertEquals(TestRuns.alpha(3, l), done.path("alpha").path(Integer.toString(l)).asDouble(), 1e-12, "layer " + l + "'s last alpha");
        }
        JsonNode live = run(all, "live-20260101-000002");
        assertEquals(Manifest.RUNNING, live.path("state").asText());
        assertEquals(25.0 / 40, live.path("progress").asDouble(), 1e-12, "steps done over all steps, from the last progress event");
        assertNotNull(Instant.parse(live.path("etaAt").asText()));
        assertEquals(List.of("training.epochs=4", "seed=1"), List.of(live.path("settings").get(0).asText(), live.path("settings").get(1).asText()),
                "the swept (or overridden) settings first");
        assertEquals(RunSummary.STALE, run(all, "dead-20260101-000003").path("state").asText(), "running, but its process is gone");
        JsonNode broken = run(all, "broken-20260101-000004");
        assertEquals(RunSummary.UNREADABLE, broken.path("state").asText());
        assertTrue(broken.path("problem").asText().contains(runs.resolve("broken-20260101-000004/manifest.json").toString()), broken.toString());
        JsonNode badCsv = run(all, "badcsv-20260101-000005");
        assertEquals(Manifest.RUNNING, badCsv.path("state").asText(), "a bad metrics file leaves the run's state readable");
        assertTrue(badCsv.path("problem").asText().contains("train.csv") && badCsv.path("problem").asText().contains("'split'"), badCsv.toString());
        assertEquals(Manifest.RUNNING, run(all, member1).path("state").asText());
        assertEquals("study-x", run(all, member1).path("sweep").asText());
        assertEquals(RunSummary.PENDING, run(all, member2).path("state").asText(), "a planned member that has not started");
        assertEquals("seed=2", run(all, member2).path("settings").get(0).asText());
        JsonNode sweep = all.path("sweeps").get(0);
        assertEquals("study-x", sweep.path("id").asText());
        assertEquals("study", sweep.path("name").asText());
        assertEquals(2, sweep.path("members").asInt());
        assertTrue(StreamSupport.stream(all.path("runs").spliterator(), false).noneMatch(r -> r.path("id").asText().equals("notes.txt")));
    }

    @Test
    void aRunsPageDataIsItsMetricsFiles() throws Exception {
        JsonNode d = json("/api/run?id=done-20260101-000001");
        for (int l = 1; l <= TestRuns.LAYERS; l++) {
            JsonNode train = d.path("train").path(Integer.toString(l));
            assertEquals(List.of(1.0, 2.0, 3.0), numbers(train.path("epoch")));
            List<Double> expected = new ArrayList<>();
            for (int e = 1; e <= 3; e++) {
                expected.add(TestRuns.testAccuracy(e, l));
            }
            assertEquals(expected, numbers(train.path("testAccuracy")), "layer " + l);
            JsonNode summary = d.path("spectrumSummary").path(Integer.toString(l));
            assertEquals(TestRuns.alpha(2, l) - 0.05, summary.path("alphaLo").get(1).asDouble(), 1e-12);
            JsonNode spectrum = d.path("spectrum").path("layers").path(Integer.toString(l));
            assertEquals(TestRuns.RANKS, spectrum.path("rank").size());
            assertEquals(5, spectrum.path("fitLo").asInt());
            assertEquals(30, spectrum.path("fitHi").asInt());
            assertEquals(TestRuns.alpha(3, l), spectrum.path("alpha").asDouble(), 1e-12);
            // lambda_n = 3 n^-alpha exactly: the fitted line's intercept is log10(3)
            assertEquals(Math.log10(3), spectrum.path("intercept").asDouble(), 1e-9);
            JsonNode fgsm = d.path("robustness").path("attacks").path("fgsm").path(Integer.toString(l));
            assertEquals(List.of(0.0, 0.1, 0.2), numbers(fgsm.path("strength")));
            assertEquals(TestRuns.testAccuracy(3, l) * (1 - 0.2 * 2), fgsm.path("accuracy").get(2).asDouble(), 1e-12);
        }
        assertEquals(3, d.path("spectrum").path("epoch").asInt(), "the latest analysis");
        assertEquals(3, d.path("robustness").path("epoch").asInt());
        assertEquals("done", d.path("spec").path("name").asText());
        assertEquals(Manifest.COMPLETED, d.path("manifest").path("status").asText());
        List<String> files = StreamSupport.stream(d.path("files").spliterator(), false).map(f -> f.path("path").asText()).toList();
        assertTrue(files.containsAll(List.of("events.jsonl", "manifest.json", "spec.json", "metrics/train.csv", "metrics/spectrum.csv")), files.toString());
        assertTrue(d.path("report").isNull(), "no report written");
        assertEquals("analysis-completed", d.path("events").get(d.path("events").size() - 1).path("type").asText());
        HttpResponse<String> missing = get("/api/run?id=no-such-run");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("no run no-such-run"), missing.body());
    }

    @Test
    void anUnreadableRunGivesItsPageAMessageAndTheServerGoesOn() throws Exception {
        JsonNode broken = json("/api/run?id=broken-20260101-000004");
        assertTrue(broken.path("problems").get(0).asText().contains("manifest.json: expected a run's manifest"), broken.toString());
        JsonNode badCsv = json("/api/run?id=badcsv-20260101-000005");
        assertTrue(StreamSupport.stream(badCsv.path("problems").spliterator(), false).anyMatch(p -> p.asText().contains("train.csv: no column 'split'")),
                badCsv.toString());
        assertEquals(200, get("/api/runs").statusCode());
        assertEquals(200, get("/run?id=broken-20260101-000004").statusCode());
    }

    @Test
    void aSweepsDataIsItsMembersCurves() throws Exception {
        JsonNode s = json("/api/sweep?id=study-x");
        assertEquals(2, s.path("sweep").path("members").asInt());
        assertEquals(2, s.path("members").size());
        JsonNode first = s.path("members").get(0);
        assertEquals(member1, first.path("id").asText());
        assertEquals(TestRuns.testAccuracy(1, 2), first.path("curves").path("testAccuracy").path("2").get(0).path("value").asDouble(), 1e-12);
        assertEquals(TestRuns.alpha(1, 3), first.path("curves").path("alpha").path("3").get(0).path("value").asDouble(), 1e-12);
        assertEquals(RunSummary.PENDING, s.path("members").get(1).path("summary").path("state").asText());
        assertEquals(404, get("/api/sweep?id=nothing").statusCode());
    }

    @Test
    void aRunsFilesAreServedAndNothingOutsideIt() throws Exception {
        HttpResponse<String> train = get("/files/1/done-20260101-000001/metrics/train.csv");
        assertEquals(200, train.statusCode());
        assertEquals(Files.readString(runs.resolve("done-20260101-000001/metrics/train.csv")), train.body());
        HttpResponse<String> spec = get("/files/2/" + member1 + "/spec.json");
        assertEquals(200, spec.statusCode());
        assertTrue(spec.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        assertEquals(404, get("/files/1/done-20260101-000001/%2e%2e/notes.txt").statusCode());
        assertEquals(404, get("/files/1/done-20260101-000001/..%2F..%2Fetc/passwd").statusCode());
        assertEquals(404, get("/files/1/done-20260101-000001/").statusCode());
        assertEquals(404, get("/files/3/done-20260101-000001/a/b/c").statusCode());
        assertEquals(404, get("/files/1/done-20260101-000001/metrics/none.csv").statusCode());
    }

    @Test
    void theStreamsPushWhatChanges() throws Exception {
        try (SseClient page = new SseClient(http, base + "/api/events", true)) {
            assertTrue(page.next("snapshot").data().path("runs").size() >= 7);
            RunDirectory fresh = TestRuns.create(runs, "fresh-20260101-000006", 2, List.of());
            page.next("run", r -> r.path("id").asText().equals(fresh.id()) && r.path("state").asText().equals(Manifest.RUNNING));
        }
        RunDirectory moving = TestRuns.create(runs, "moving-20260101-000007", 3, List.of());
        TestRuns.epoch(moving, 1, 3);
        awaitRuns(r -> StreamSupport.stream(r.path("runs").spliterator(), false).anyMatch(x -> x.path("id").asText().equals(moving.id())));
        try (SseClient page = new SseClient(http, base + "/api/run/events?id=" + moving.id(), true)) {
            assertEquals(List.of(1.0), numbers(page.next("detail").data().path("train").path("1").path("epoch")));
            TestRuns.epoch(moving, 2, 3);
            page.next("event", e -> e.path("type").asText().equals("epoch-trained") && e.path("epoch").asInt() == 2);
            page.next("detail", d -> numbers(d.path("train").path("1").path("epoch")).equals(List.of(1.0, 2.0)));
        }
        try (SseClient page = new SseClient(http, base + "/api/run/events?id=later-20260101-000008", true)) {
            assertTrue(page.next("waiting").data().path("message").asText().contains("when it appears"));
            TestRuns.create(runs, "later-20260101-000008", 2, List.of());
            assertEquals(Manifest.RUNNING, page.next("detail").data().path("summary").path("state").asText());
        }
        try (SseClient page = new SseClient(http, base + "/api/sweep/events?id=study-x", true)) {
            assertEquals(2, page.next("snapshot").data().path("members").size());
            TestRuns.epoch(new RunDirectory(runs.resolve(member1)), 2, 2);
            page.next("member", m -> m.path("id").asText().equals(member1) && m.path("summary").path("epoch").asInt() == 2);
        }
    }

    @Test
    void theServerNeverWritesToTheRunsDirectory(@TempDir Path other) throws Exception {
        RunDirectory run = TestRuns.create(other, "still-20260101-000009", 2, List.of());
        TestRuns.epoch(run, 1, 2);
        TestRuns.manifest(run, Manifest.COMPLETED, 2, 1, ProcessHandle.current().pid());
        Files.createDirectories(other.resolve("broken-x"));
        Files.writeString(other.resolve("broken-x/manifest.json"), "x", StandardCharsets.UTF_8);
        Map<String, String> before = tree(other);
        try (LabServer s = LabServer.start(other, "127.0.0.1", 0, Duration.ofMillis(100), new RunFollower.Intervals(Duration.ofMillis(20), Duration.ofMillis(50)));
             SseClient page = new SseClient(http, "http://127.0.0.1:" + s.port() + "/api/run/events?id=" + run.id(), true)) {
            page.next("detail");
            for (String path : List.of("/", "/api/runs", "/api/run?id=" + run.id(), "/api/run?id=broken-x", "/files/1/" + run.id() + "/spec.json")) {
                assertEquals(200, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode(), path);
            }
        }
        assertEquals(before, tree(other), "every file's size and time as before");
    }

    private static Map<String, String> tree(Path root) throws Exception {
        Map<String, String> out = new java.util.TreeMap<>();
        try (var files = Files.walk(root)) {
            for (Path p : files.toList()) {
                out.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir " + Files.getLastModifiedTime(p)
                        : Files.size(p) + " " + Files.getLastModifiedTime(p));
            }
        }
        return out;
    }

    @Test
    void aPortInUseIsRefusedWithItsReason() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.io.IOException refused = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> LabServer.start(runs, "127.0.0.1", taken.getLocalPort()));
            assertTrue(refused.getMessage().startsWith("cannot serve on 127.0.0.1:" + taken.getLocalPort() + ": "), refused.getMessage());
            assertTrue(refused.getMessage().contains("already in use"), refused.getMessage());
        }
    }

    @Test
    void aRouteWithoutItsRunGivesNotFound() throws Exception {
        assertArrayEquals(new int[] {404, 404, 404}, new int[] {get("/api/run/events").statusCode(), get("/api/run").statusCode(),
                get("/api/nothing").statusCode()});
    }
}
