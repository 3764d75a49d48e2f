package org.manifoldlab.serve;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.manifoldlab.rundir.RunDirectory;

/**
 * Debian's chromium, headless, driven over the DevTools protocol with the JDK's own WebSocket:
 * open a page, evaluate JavaScript in it, take a screenshot. It starts with a new empty profile
 * and without background networking (which would otherwise try the network), and is killed on close.
 */
final class Chromium implements AutoCloseable {

    static final List<String> BINARIES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
    static final Duration DEADLINE = Duration.ofSeconds(60);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();

    /** The chromium binary of this machine, or null. */
    static Path binary() {
        return BINARIES.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    }

    static Chromium start(int width, int height) throws IOException, InterruptedException {
        Path binary = binary();
        if (binary == null) {
            throw new IOException("no chromium among " + BINARIES + " (apt-get install chromium)");
        }
        Path profile = Files.createTempDirectory("lab-serve-chromium");
        Process process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--window-size=" + width + "," + height, "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            Await.until(DEADLINE, Duration.ofMillis(50), () -> assertTrue(Files.isRegularFile(portFile) && lines(portFile).size() >= 2 || !process.isAlive(),
                    "chromium's DevToolsActivePort within " + DEADLINE.toSeconds() + " s"));
            if (!process.isAlive()) {
                throw new IOException("chromium ended at start: " + Files.readString(profile.resolve("chromium.log")));
            }
            int port = Integer.parseInt(lines(portFile).get(0).strip());
            HttpClient http = HttpClient.newHttpClient();
            AtomicReference<String> pageSocket = new AtomicReference<>();
            Await.until(DEADLINE, Duration.ofMillis(100), () -> {
                String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                for (JsonNode target : RunDirectory.JSON.readTree(list)) {
                    if (target.path("type").asText().equals("page")) {
                        pageSocket.set(target.path("webSocketDebuggerUrl").asText());
                        return;
                    }
                }
                throw new AssertionError("chromium showed no page target in " + DEADLINE.toSeconds() + " s");
            });
            return new Chromium(process, profile, http, pageSocket.get());
        } catch (IOException | RuntimeException | Error e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private Chromium(Process process, Path profile, HttpClient http, String pageSocket) {
        this.process = process;
        this.profile = profile;
        this.socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new Listener()).join();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode message = RunDirectory.JSON.readTree(text.toString());
                    CompletableFuture<JsonNode> f = message.has("id") ? waiting.remove(message.get("id").asInt()) : null;
                    if (f != null) {
                        if (message.has("error")) {
                            f.completeExceptionally(new IOException("DevTools: " + message.get("error")));
                        } else {
                            f.complete(message.path("result"));
                        }
                    }
                } catch (IOException e) {
                    // an event we do not read
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    /** Sends one DevTools command and waits (up to the deadline) for its result. */
    JsonNode call(String method, Map<String, Object> params) throws IOException {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        waiting.put(id, result);
        ObjectNode message = RunDirectory.JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", RunDirectory.JSON.valueToTree(params));
        socket.sendText(message.toString(), true).join();
        try {
            return result.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException(method + ": " + e, e);
        }
    }

    void open(String url) throws IOException {
        call("Page.navigate", Map.of("url", url));
    }

    /** The value of a JavaScript expression in the page (null when it is undefined or threw). */
    JsonNode eval(String expression) throws IOException {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        return r.has("exceptionDetails") ? null : r.path("result").path("value");
    }

    /** Polls the expression until it is true; fails after the deadline with what it last saw. */
    void awaitTrue(String expression, String what) {
        Await.until(DEADLINE, Duration.ofMillis(20), () -> {
            JsonNode v = eval(expression);
            assertTrue(v != null && v.asBoolean(false), "within " + DEADLINE.toSeconds() + " s the page did not show " + what + " (" + expression + ")");
        });
    }

    void screenshot(Path png, int width, int height) throws IOException {
        call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
        JsonNode shot = call("Page.captureScreenshot", Map.of("format", "png"));
        Files.write(png, Base64.getDecoder().decode(shot.path("data").asText()));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return new ArrayList<>();
        }
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the process goes below in any case
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary profile left behind
        }
    }
}
