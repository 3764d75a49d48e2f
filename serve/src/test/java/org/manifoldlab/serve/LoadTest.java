package org.manifoldlab.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.rundir.Manifest;
import org.manifoldlab.rundir.RunDirectory;

/**
 * The server under load: 20 runs written at once (a progress event every 100 ms, an epoch with
 * its spectra and attacks every second each) and 10 open pages (4 runs pages, 6 run pages) for
 * half a minute (30 epochs a run; the suite's 10-minute budget keeps it short). No write,
 * stream or request fails; every page keeps receiving; the heap after a
 * collection stays bounded. Prints the heap figures.
 */
class LoadTest {

    static final int RUNS = 20;
    static final Duration LENGTH = Duration.ofSeconds(30);

    @Test
    void twentyRunsAndTenPagesForHalfAMinute(@TempDir Path runs) throws Exception {
        try (LabServer server = LabServer.start(runs, "127.0.0.1", 0)) {
            String base = "http://127.0.0.1:" + server.port();
            HttpClient http = HttpClient.newHttpClient();
            List<RunDirectory> dirs = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                dirs.add(TestRuns.create(runs, String.format("load-20260101-%06d", i), 1000, List.of("seed=" + i)));
            }
            // the catalog lists the directory once a second: wait (polling, with a deadline) until it holds the 20 runs
            Await.until(Duration.ofSeconds(60), Duration.ofMillis(50), () -> assertTrue(RunDirectory.JSON.readTree(http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/runs")).build(), HttpResponse.BodyHandlers.ofString()).body())
                    .path("runs").size() >= RUNS, "the 20 runs listed within 60 s"));
            List<SseClient> pages = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                pages.add(new SseClient(http, base + "/api/events", false));
            }
            for (int i = 0; i < 6; i++) {
                pages.add(new SseClient(http, base + "/api/run/events?id=" + dirs.get(i * 3).id(), false));
            }
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            AtomicInteger[] epochs = new AtomicInteger[RUNS];
            ScheduledExecutorService writers = Executors.newScheduledThreadPool(2);
            for (int i = 0; i < RUNS; i++) {
                RunDirectory run = dirs.get(i);
                AtomicInteger epoch = epochs[i] = new AtomicInteger();
                AtomicInteger step = new AtomicInteger();
                writers.scheduleAtFixedRate(() -> {
                    try {
                        if (step.incrementAndGet() % 10 == 0) {
                            TestRuns.epoch(run, epoch.incrementAndGet(), 1000);
                        } else {
                            TestRuns.progress(run, epoch.get() + 1, step.get(), 10_000, 600);
                        }
                    } catch (Exception | Error e) {
                        errors.add(e);
                    }
                }, i * 5L, 100, TimeUnit.MILLISECONDS);
            }
            // a page that reconnects asks for its data whole: once a second, one of them does, for LENGTH
            List<Long> heap = new java.util.concurrent.CopyOnWriteArrayList<>();
            long pacedRequests = LENGTH.toSeconds();
            AtomicInteger requests = new AtomicInteger();
            java.util.concurrent.CompletableFuture<Void> loaded = new java.util.concurrent.CompletableFuture<>();
            ScheduledExecutorService reconnects = Executors.newSingleThreadScheduledExecutor();
            reconnects.scheduleAtFixedRate(() -> {
                try {
                    int n = requests.getAndIncrement();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/run?id=" + dirs.get(n % RUNS).id())).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, r.statusCode(), r.body());
                    if ((n + 1) % 10 == 0) {
                        heap.add(usedHeapAfterGc());
                    }
                    if (n + 1 == pacedRequests) {
                        loaded.complete(null);
                    }
                } catch (Exception | Error e) {
                    loaded.completeExceptionally(e);
                }
            }, 0, 1, TimeUnit.SECONDS);
            try {
                loaded.get(LENGTH.toSeconds() + 60, TimeUnit.SECONDS);
            } finally {
                reconnects.shutdownNow();
            }
            writers.shutdown();
            assertTrue(writers.awaitTermination(60, TimeUnit.SECONDS));
            assertTrue(errors.isEmpty(), "writes failed: " + errors);
            for (SseClient p : pages) {
                assertNull(p.failure(), "a page's stream failed");
                assertTrue(p.isOpen(), "every page's stream is still open");
                assertTrue(p.received() > 50, "every page kept receiving: " + p.received());
            }
            // after the writers stop, every run's row catches up with what was written
            Await.until(Duration.ofSeconds(60), Duration.ofMillis(100), () -> {
                JsonNode all = RunDirectory.JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/runs")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                boolean caughtUp = all.path("runs").size() == RUNS;
                for (JsonNode r : all.path("runs")) {
                    int i = Integer.parseInt(r.path("id").asText().substring(r.path("id").asText().lastIndexOf('-') + 1));
                    caughtUp &= r.path("epoch").asInt() == epochs[i].get() && Manifest.RUNNING.equals(r.path("state").asText());
                }
                assertTrue(caughtUp, "the runs list matches what was written: " + all);
            });
            pages.forEach(SseClient::close);
            long first = heap.get(0);
            long max = heap.stream().mapToLong(Long::longValue).max().orElse(0);
            long last = heap.get(heap.size() - 1);
            System.out.printf("lab serve under load (%d runs written, 10 pages, %d s, %d epochs written in all, %d page events received): "
                            + "heap used after GC %d MB at 10 s, %d MB at the end, %d MB at most (test writers included)%n", RUNS, LENGTH.toSeconds(),
                    java.util.Arrays.stream(epochs).mapToInt(AtomicInteger::get).sum(), pages.stream().mapToLong(SseClient::received).sum(),
                    first >> 20, last >> 20, max >> 20);
            assertTrue(last - first < 64L << 20, "the heap grew by " + ((last - first) >> 20) + " MB in " + LENGTH.toSeconds() + " s");
        }
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
