package org.manifoldlab.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.manifoldlab.rundir.RunDirectory;

/** A page's server-sent event stream, read on a thread of its own: events by type, in order. */
final class SseClient implements AutoCloseable {

    /** One event: its type and parsed data, and when it arrived (ms since 1970). */
    record Event(String type, JsonNode data, long receivedMillis) {
    }

    static final Duration DEADLINE = Duration.ofSeconds(60);

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong received = new AtomicLong();
    private final Thread reader;
    private volatile Stream<String> lines;
    private final boolean keep;

    /** keep: queue every event (false counts them only, for a long load test). */
    SseClient(HttpClient http, String url, boolean keep) throws IOException, InterruptedException {
        this.keep = keep;
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IOException(url + ": HTTP " + response.statusCode());
        }
        lines = response.body();
        reader = new Thread(this::read, "sse " + url);
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        String type = "message";
        StringBuilder data = new StringBuilder();
        try {
            for (var it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        received.incrementAndGet();
                        JsonNode parsed = RunDirectory.JSON.readTree(data.toString());
                        if (keep) {
                            events.add(new Event(type, parsed, System.currentTimeMillis()));
                        }
                    }
                    type = "message";
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    type = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).strip());
                }
            }
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }

    /** The next event of this type that matches, skipping others; fails after the deadline. */
    Event next(String type, Predicate<JsonNode> matches) throws InterruptedException {
        Instant end = Instant.now().plus(DEADLINE);
        while (Instant.now().isBefore(end)) {
            Event e = events.poll(Duration.between(Instant.now(), end).toMillis() + 1, TimeUnit.MILLISECONDS);
            if (e != null && e.type().equals(type) && matches.test(e.data())) {
                return e;
            }
        }
        throw new AssertionError("no '" + type + "' event as expected within " + DEADLINE.toSeconds() + " s" + (failure.get() == null ? ""
                : "; the stream failed: " + failure.get()));
    }

    Event next(String type) throws InterruptedException {
        return next(type, d -> true);
    }

    long received() {
        return received.get();
    }

    Throwable failure() {
        return failure.get();
    }

    boolean isOpen() {
        return reader.isAlive();
    }

    @Override
    public void close() {
        Stream<String> s = lines;
        if (s != null) {
            s.close();
        }
    }
}
