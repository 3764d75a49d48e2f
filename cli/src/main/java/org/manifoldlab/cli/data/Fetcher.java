package org.manifoldlab.cli.data;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads one file over HTTP(S) into a directory such that the file's final name only ever holds
 * verified bytes: the bytes go to {@code NAME.part}, which is checked against the expected digest
 * and then renamed (atomically) to {@code NAME}. A digest mismatch deletes the part file.
 *
 * <p>An interrupted or stalled transfer keeps what it received in {@code NAME.part}; the next attempt
 * (in this call, up to {@code attempts}, or in a later one) asks for the rest with an HTTP Range
 * request. A server that ignores the range (HTTP 200) gets the download restarted from byte 0.
 * A resumed file whose first part came from another version of the file fails the digest check and
 * is deleted, so resuming never produces a wrong file under the final name.
 *
 * <p>The part file is locked while it is written, so two fetches into one directory cannot
 * interleave their bytes. No picocli here: the {@code lab data fetch} command is a thin shell.
 */
public final class Fetcher {

    /** What a fetch reports as it goes; every method has a silent default. */
    public interface Listener {
        /** A transfer starts with {@code from} bytes already on disk; {@code total} is -1 when unknown. */
        default void started(String file, long from, long total) {
        }

        /** {@code onDisk} bytes of the file are now in its part file. Called from the HTTP client's threads. */
        default void progress(long onDisk) {
        }

        /** The transfer ended, successfully or not. */
        default void ended() {
        }

        default void note(String message) {
        }
    }

    /** A fetched, verified file: its final path, its size and SHA-256 (whatever algorithm verified it). */
    public record Result(Path file, long bytes, String sha256, boolean alreadyPresent) {
    }

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private final HttpClient client;
    private final Listener listener;
    private final int attempts;
    private final Duration stallTimeout;
    private final Duration retryPause;

    /**
     * @param attempts     transfers tried per file before giving up (each resumes the previous one)
     * @param stallTimeout a transfer that receives nothing for this long is aborted (and resumed)
     * @param retryPause   pause before the second attempt; it grows linearly with the attempt
     */
    public Fetcher(HttpClient client, Listener listener, int attempts, Duration stallTimeout, Duration retryPause) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        }
        this.client = client;
        this.listener = listener;
        this.attempts = attempts;
        this.stallTimeout = stallTimeout;
        this.retryPause = retryPause;
    }

    /** An HTTP/1.1 client that follows redirects (never from HTTPS to HTTP). */
    public static HttpClient defaultClient(Duration connectTimeout) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(connectTimeout).build();
    }

    /**
     * Makes {@code dir/NAME} the verified file at {@code url}. A file already under the final name is
     * verified, not downloaded again; if it does not verify, it is left alone and this fails.
     *
     * @throws DigestMismatchException the downloaded bytes are not the expected file (part file deleted)
     * @throws IOException             the download failed; what was received stays in NAME.part
     */
    public Result fetch(URI url, ExpectedFile expected, Path dir) throws IOException {
        Path target = dir.resolve(expected.name());
        Path part = dir.resolve(expected.name() + ".part");
        if (Files.exists(target)) {
            FileDigests d = FileDigests.of(target, expected);
            if (!d.matches(expected)) {
                throw new IOException(target + " already exists but its " + expected.algorithmLabel() + " is "
                        + d.expected() + ", expected " + expected.digest() + " (" + d.bytes()
                        + " bytes); remove it to download it again");
            }
            return new Result(target, d.bytes(), d.sha256(), true);
        }
        Files.createDirectories(dir);
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lock(channel, part)) {
            try {
                download(url, expected, channel, part);
            } catch (IOException e) {
                if (channel.size() == 0) {
                    Files.delete(part); // nothing received: no part file to resume
                }
                throw e;
            }
            channel.force(true);
            FileDigests d = FileDigests.of(part, expected);
            if (!d.matches(expected)) {
                Files.delete(part);
                throw new DigestMismatchException(expected, d.expected(), d.bytes(), url);
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            return new Result(target, d.bytes(), d.sha256(), false);
        }
    }

    /** Brings the part file to its full length, resuming and retrying as needed. */
    private void download(URI url, ExpectedFile expected, FileChannel channel, Path part) throws IOException {
        IOException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            long have = channel.size();
            if (expected.size() >= 0 && have > expected.size()) {
                listener.note(part + " holds " + have + " bytes, more than the " + expected.size()
                        + " expected; starting over");
                channel.truncate(0);
                have = 0;
            }
            if (expected.size() >= 0 && have == expected.size()) {
                return;
            }
            try {
                transfer(url, expected, channel, have);
                return;
            } catch (PermanentFailure e) {
                throw new IOException(expected.name() + ": " + e.getMessage(), e);
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                last = e;
                if (attempt < attempts) {
                    listener.note(expected.name() + ": attempt " + attempt + " of " + attempts + " failed ("
                            + e.getMessage() + "); retrying");
                    pause(retryPause.multipliedBy(attempt));
                }
            }
        }
        throw new IOException(expected.name() + ": download from " + url + " failed after " + attempts
                + (attempts == 1 ? " attempt" : " attempts") + " (" + last.getMessage() + "); the "
                + channel.size() + " bytes received are kept in " + part + ": run the command again to resume", last);
    }

    /** One HTTP request for the bytes from {@code have} on; returns when the body has been written. */
    private void transfer(URI url, ExpectedFile expected, FileChannel channel, long have) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(stallTimeout).GET();
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        Exchange exchange = new Exchange(url, expected, channel, have);
        CompletableFuture<HttpResponse<Void>> response = client.sendAsync(request.build(), exchange);
        try {
            await(response, exchange);
        } finally {
            listener.ended();
        }
        exchange.checkComplete();
    }

    /** Waits for the body, aborting when nothing arrived for a whole stall timeout. */
    private void await(CompletableFuture<HttpResponse<Void>> response, Exchange exchange) throws IOException {
        long seen = -2;
        while (true) {
            try {
                response.get(stallTimeout.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                long now = exchange.received();
                if (now == seen) {
                    IOException stalled = new IOException("nothing received for " + stallTimeout.toMillis() + " ms"
                            + (now >= 0 ? " after " + now + " bytes" : " (no response)"));
                    exchange.abort(stalled);
                    response.cancel(true);
                    throw stalled;
                }
                seen = now;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof PermanentFailure p) {
                    throw p;
                }
                throw new IOException(describe(cause), cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                InterruptedIOException interrupted = new InterruptedIOException("interrupted");
                exchange.abort(interrupted);
                response.cancel(true);
                throw interrupted;
            }
        }
    }

    /**
     * Decides, from the status and headers, where the body goes: into the part file (206 at the
     * right offset, or 200 from byte 0), or nowhere (416, errors: recorded, raised after the body).
     */
    private final class Exchange implements HttpResponse.BodyHandler<Void> {
        private final URI url;
        private final ExpectedFile expected;
        private final FileChannel channel;
        private final long have;
        private volatile PartWriter writer;
        private volatile long total = -1;
        private volatile long start;
        private volatile IOException problem;
        private volatile boolean rangeNotSatisfiable;

        Exchange(URI url, ExpectedFile expected, FileChannel channel, long have) {
            this.url = url;
            this.expected = expected;
            this.channel = channel;
            this.have = have;
        }

        @Override
        public HttpResponse.BodySubscriber<Void> apply(HttpResponse.ResponseInfo info) {
            try {
                return subscriber(info);
            } catch (IOException e) {
                problem = e;
                return new Refused();
            }
        }

        private HttpResponse.BodySubscriber<Void> subscriber(HttpResponse.ResponseInfo info) throws IOException {
            int status = info.statusCode();
            if (status == 416 && have > 0) {
                rangeNotSatisfiable = true;
                return HttpResponse.BodySubscribers.discarding();
            }
            if (status == 206) {
                String range = info.headers().firstValue("Content-Range").orElse("");
                Matcher m = CONTENT_RANGE.matcher(range);
                if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                    throw new PermanentFailure(url + " answered the request for bytes " + have
                            + "- with Content-Range '" + range + "'");
                }
                start = have;
                total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
            } else if (status == 200) {
                if (have > 0) {
                    listener.note(expected.name() + ": the server does not resume downloads; starting over");
                }
                start = 0;
                total = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            } else if (status >= 400 && status < 500 && status != 408 && status != 429) {
                throw new PermanentFailure("HTTP " + status + " from " + url);
            } else {
                throw new IOException("HTTP " + status + " from " + url);
            }
            if (expected.size() >= 0 && total >= 0 && total != expected.size()) {
                throw new PermanentFailure(url + " offers " + total + " bytes; expected " + expected.size()
                        + " (another file, or another version of it?)");
            }
            channel.truncate(start);
            channel.position(start);
            listener.started(expected.name(), start, total >= 0 ? total : expected.size());
            PartWriter w = new PartWriter(channel, start, listener::progress);
            writer = w;
            return w;
        }

        /** Bytes received in this transfer; -1 before the response headers. */
        long received() {
            PartWriter w = writer;
            return w == null ? -1 : w.written();
        }

        void abort(IOException why) {
            PartWriter w = writer;
            if (w != null) {
                w.abort(why);
            }
        }

        /** After the body: raises a recorded problem, or a body shorter than the file. */
        void checkComplete() throws IOException {
            if (problem != null) {
                throw problem;
            }
            if (rangeNotSatisfiable) {
                listener.note(expected.name() + ": the server has no bytes after the " + have
                        + " already received; verifying them");
                return;
            }
            long length = channel.size();
            long full = total >= 0 ? total : expected.size();
            if (full >= 0 && length < full) {
                throw new IOException("connection closed after " + length + " of " + full + " bytes");
            }
        }
    }

    /** The body of a response we will not use: cancelled at once, so a large wrong file is not read. */
    private static final class Refused implements HttpResponse.BodySubscriber<Void> {
        @Override
        public void onSubscribe(Flow.Subscription s) {
            s.cancel();
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onComplete() {
        }

        @Override
        public CompletionStage<Void> getBody() {
            return CompletableFuture.completedFuture(null);
        }
    }

    /** A failure that another attempt cannot cure (404, a wrong size, a bad Content-Range). */
    private static final class PermanentFailure extends IOException {
        private static final long serialVersionUID = 1L;

        PermanentFailure(String message) {
            super(message);
        }
    }

    private static FileLock lock(FileChannel channel, Path part) throws IOException {
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
        } catch (OverlappingFileLockException e) {
            // held by this JVM: the same answer as another process holding it
        }
        throw new IOException(part + " is being written by another fetch; wait for it to finish");
    }

    private static void pause(Duration d) throws InterruptedIOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
