package org.manifoldlab.cli.data;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP server on 127.0.0.1 (port chosen by the system) serving the files a test puts in it
 * under /files/, with Range requests ({@code bytes=N-}) and faults a test arms per file: cut the
 * connection after n bytes, or stall after n bytes until the server closes.
 */
final class LoopbackServer implements AutoCloseable {

    record Request(String file, String range) {
    }

    private enum Kind { CUT, STALL, SLOW }

    /** CUT and STALL after {@code afterBytes}; SLOW sends {@code afterBytes} at a time, {@code pauseMillis} apart. */
    private record Fault(Kind kind, int afterBytes, long pauseMillis) {
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    final List<Request> requests = new CopyOnWriteArrayList<>();
    volatile boolean ranges = true;

    LoopbackServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.setExecutor(executor);
        server.createContext("/files/", this::handle);
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/files/");
    }

    LoopbackServer put(String name, byte[] bytes) {
        files.put(name, bytes.clone());
        return this;
    }

    LoopbackServer putAll(Map<String, byte[]> all) {
        all.forEach(this::put);
        return this;
    }

    /** The next response for {@code name} sends {@code n} body bytes, then the connection is closed. */
    void cutAfter(String name, int n) {
        faults.computeIfAbsent(name, k -> new ArrayDeque<>()).add(new Fault(Kind.CUT, n, 0));
    }

    /** The next response for {@code name} sends {@code n} body bytes, then nothing until the server closes. */
    void stallAfter(String name, int n) {
        faults.computeIfAbsent(name, k -> new ArrayDeque<>()).add(new Fault(Kind.STALL, n, 0));
    }

    /** The next response for {@code name} comes {@code chunk} bytes at a time, {@code pauseMillis} apart. */
    void slow(String name, int chunk, long pauseMillis) {
        faults.computeIfAbsent(name, k -> new ArrayDeque<>()).add(new Fault(Kind.SLOW, chunk, pauseMillis));
    }

    List<String> rangesRequested(String name) {
        return requests.stream().filter(r -> r.file().equals(name)).map(Request::range).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        String name = ex.getRequestURI().getPath().substring("/files/".length());
        String range = ex.getRequestHeaders().getFirst("Range");
        requests.add(new Request(name, range));
        byte[] bytes = files.get(name);
        if (bytes == null) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        int start = 0;
        int status = 200;
        if (range != null && ranges) {
            Matcher m = RANGE.matcher(range);
            if (!m.matches()) {
                ex.sendResponseHeaders(400, -1);
                ex.close();
                return;
            }
            start = Integer.parseInt(m.group(1));
            if (start >= bytes.length) {
                ex.getResponseHeaders().add("Content-Range", "bytes */" + bytes.length);
                ex.sendResponseHeaders(416, -1);
                ex.close();
                return;
            }
            status = 206;
            ex.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (bytes.length - 1) + "/" + bytes.length);
        }
        Deque<Fault> queue = faults.get(name);
        Fault fault = queue == null ? null : queue.poll();
        ex.sendResponseHeaders(status, bytes.length - start);
        OutputStream body = ex.getResponseBody();
        if (fault == null) {
            body.write(bytes, start, bytes.length - start);
            body.close();
            return;
        }
        if (fault.kind() == Kind.SLOW) {
            for (int at = start; at < bytes.length; at += fault.afterBytes()) {
                body.write(bytes, at, Math.min(fault.afterBytes(), bytes.length - at));
                body.flush();
                pause(fault.pauseMillis());
            }
            body.close();
            return;
        }
        body.write(bytes, start, Math.min(fault.afterBytes(), bytes.length - start));
        body.flush();
        if (fault.kind() == Kind.STALL) {
            try {
                closing.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // an exception from a handler makes the JDK server close the connection mid-body
        throw new IOException("test fault: connection closed after " + fault.afterBytes() + " bytes");
    }

    /** The slow server's delay: it ends early when the server closes. */
    private void pause(long millis) {
        try {
            closing.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
