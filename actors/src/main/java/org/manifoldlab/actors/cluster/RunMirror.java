package org.manifoldlab.actors.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Source;
import org.manifoldlab.core.data.DataSources;

/**
 * The sending end of a run directory's files ({@link RunFiles}): a source that looks at the
 * directory, sends what changed since it last looked, and looks again when it has sent it all
 * (after scanEvery when nothing had changed). It reads only as fast as the receiver takes pieces
 * (a pull of the stream reads at most one piece), so a slow receiver slows the reads, never the
 * run. After {@link #finish()} it looks once more and completes when that look finds nothing new.
 *
 * <p>Order makes the receiver's copy a run that can continue at any moment: each look lists the
 * checkpoints first and measures the growing files after, then sends the growing files' bytes
 * before the checkpoints, a checkpoint's data before its manifest, and deletions last. So the
 * copy never holds a checkpoint manifest whose data, or whose metrics rows, have not arrived.
 * The growing files are sent up to their last complete line, so the copy never ends in half a
 * row. One instance serves one stream; its methods are called by one pull at a time.
 */
public final class RunMirror {

    private final Path root;
    private final boolean withSpec;
    private final Duration scanEvery;
    private final Executor io;
    /** Bytes the receiver holds of each growing file. */
    private final Map<String, Long> appended = new HashMap<>();
    /** What the receiver holds of each whole file: its SHA-256, or its size for a checkpoint's data (immutable by name). */
    private final Map<String, String> replaced = new HashMap<>();
    private final Deque<Action> pending = new ArrayDeque<>();
    private Transfer transfer;
    private volatile boolean finishing;
    private volatile boolean aborted;
    private volatile boolean ended;
    private final CompletableFuture<Void> wake = new CompletableFuture<>();

    private sealed interface Action permits Grow, Cut, Whole, Remove {
    }

    private record Grow(String name, long from, long to) implements Action {
    }

    private record Cut(String name, long size) implements Action {
    }

    private record Whole(String name) implements Action {
    }

    private record Remove(String name) implements Action {
    }

    /** A whole file being sent from a channel opened when it started: a file replaced meanwhile does not mix in. */
    private record Transfer(String name, FileChannel channel, long size, String signature) {
    }

    /**
     * @param withSpec whether spec.json is sent (from the coordinator's copy to a node; a node never sends it back)
     */
    public RunMirror(Path root, boolean withSpec, Duration scanEvery, Executor io) {
        this.root = root.toAbsolutePath().normalize();
        this.withSpec = withSpec;
        this.scanEvery = scanEvery;
        this.io = io;
    }

    /** The whole directory once, then completion: a snapshot of a run (the coordinator's copy, sent to the node that continues it). */
    public static Source<RunFiles.Piece, NotUsed> snapshot(Path root, boolean withSpec, Executor io) {
        RunMirror mirror = new RunMirror(root, withSpec, Duration.ofSeconds(1), io);
        mirror.finish();
        return mirror.source();
    }

    /** The receiver holds these files already, as they are now (a node that has just received the coordinator's copy). */
    public void receiverHolds(Iterable<String> names) throws IOException {
        for (String name : names) {
            Path file = root.resolve(name);
            if (RunFiles.APPENDED.matcher(name).matches()) {
                appended.put(name, Files.size(file));
            } else {
                replaced.put(name, signature(name, file));
            }
        }
    }

    /** The files of the directory this mirror sends, relative to it. */
    public List<String> files() throws IOException {
        List<String> out = new ArrayList<>(checkpoints());
        out.addAll(growing());
        for (String name : withSpec ? List.of("manifest.json", RunFiles.SPEC) : List.of("manifest.json")) {
            if (Files.isRegularFile(root.resolve(name))) {
                out.add(name);
            }
        }
        return out;
    }

    /** Looks at the directory now and queues what changed (the first look of a resumed run queues the cuts its resume made). */
    public synchronized void scan() throws IOException {
        List<String> checkpoints = checkpoints();
        List<String> growing = growing();
        appended.keySet().stream().filter(n -> !growing.contains(n) && appended.get(n) > 0).sorted().toList().forEach(n -> {
            pending.add(new Cut(n, 0));  // gone: the run started over, and grows it again from nothing
            appended.put(n, 0L);
        });
        for (String name : growing) {
            long size = Files.size(root.resolve(name));
            Long held = appended.get(name);
            if (held == null || size < held) {
                pending.add(new Cut(name, held == null ? 0 : size));
                held = held == null ? 0 : size;
            }
            if (size > held) {
                pending.add(new Grow(name, held, size));
            }
        }
        checkpoints.stream().filter(n -> n.endsWith(".bin")).forEach(n -> pending.add(new Whole(n)));
        checkpoints.stream().filter(n -> n.endsWith(".json")).forEach(n -> pending.add(new Whole(n)));
        pending.add(new Whole("manifest.json"));
        if (withSpec) {
            pending.add(new Whole(RunFiles.SPEC));
        }
        replaced.keySet().stream().filter(n -> n.startsWith("checkpoints/") && !checkpoints.contains(n))
                .sorted((a, b) -> a.endsWith(".json") == b.endsWith(".json") ? a.compareTo(b) : a.endsWith(".json") ? -1 : 1)
                .forEach(n -> pending.add(new Remove(n)));
    }

    /** Look once more and complete when nothing is left. */
    public void finish() {
        finishing = true;
        wake.complete(null);
    }

    /** Stop at the next pull, failing the stream. */
    public void abort() {
        aborted = true;
        wake.complete(null);
    }

    /** Whether the stream completed because everything was sent after {@link #finish()} (not cancelled, not failed). */
    public boolean ended() {
        return ended;
    }

    /** The stream of pieces, pulled one at a time; reads and looks run on io. */
    public Source<RunFiles.Piece, NotUsed> source() {
        return Source.unfoldAsync(Boolean.TRUE, more -> pull());
    }

    private CompletionStage<Optional<Pair<Boolean, RunFiles.Piece>>> pull() {
        CompletableFuture<Optional<Pair<Boolean, RunFiles.Piece>>> result = new CompletableFuture<>();
        attempt(result);
        return result;
    }

    /** One look; when nothing changed, another after scanEvery (or at once after finish): no future waits on another. */
    private void attempt(CompletableFuture<Optional<Pair<Boolean, RunFiles.Piece>>> result) {
        CompletableFuture.supplyAsync(() -> {
            try {
                return step();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, io).whenComplete((step, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else if (step != null) {
                result.complete(step);
            } else {
                CompletableFuture<Void> later = CompletableFuture.runAsync(() -> { },
                        CompletableFuture.delayedExecutor(scanEvery.toMillis(), TimeUnit.MILLISECONDS, io));
                CompletableFuture.anyOf(later, wake).whenComplete((v, e) -> attempt(result));
            }
        });
    }

    /** The next piece; Optional.empty() to complete; null when nothing changed (look again later). */
    private synchronized Optional<Pair<Boolean, RunFiles.Piece>> step() throws IOException {
        if (aborted) {
            throw new IOException("the sender stopped");
        }
        RunFiles.Piece piece = next();
        if (piece == null) {
            boolean last = finishing;  // read before the look: a finish asked for during it is seen by the next
            scan();
            piece = next();
            if (piece == null && last) {
                ended = true;
                return Optional.empty();
            }
        }
        return piece == null ? null : Optional.of(Pair.create(Boolean.TRUE, piece));
    }

    private RunFiles.Piece next() throws IOException {
        while (true) {
            if (transfer != null) {
                return part();
            }
            Action action = pending.poll();
            if (action == null) {
                return null;
            }
            RunFiles.Piece piece = run(action);
            if (piece != null) {
                return piece;
            }
        }
    }

    private RunFiles.Piece run(Action action) throws IOException {
        if (action instanceof Cut c) {
            appended.put(c.name(), c.size());
            return new RunFiles.Append(c.name(), c.size(), new byte[0]);
        }
        if (action instanceof Grow g) {
            return grow(g);
        }
        if (action instanceof Remove r) {
            replaced.remove(r.name());
            return new RunFiles.Delete(r.name());
        }
        String name = ((Whole) action).name();
        if (name.endsWith(".json") && name.startsWith("checkpoints/") && !replaced.containsKey(name.replace(".json", ".bin"))) {
            return null;  // its data was pruned before it could be sent: the checkpoint is not sent either
        }
        Path file = root.resolve(name);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException gone) {
            return null;
        }
        String signature = signature(name, channel);
        if (signature.equals(replaced.get(name))) {
            channel.close();
            return null;
        }
        transfer = new Transfer(name, channel, channel.size(), signature);
        return part();
    }

    private RunFiles.Piece grow(Grow g) throws IOException {
        int length = (int) Math.min(g.to() - g.from(), RunFiles.PIECE_BYTES);
        byte[] bytes = read(root.resolve(g.name()), g.from(), length);
        if (g.from() + length == g.to()) {
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
            if (end == 0) {
                return null;  // no complete line yet: sent with the next look
            }
            bytes = java.util.Arrays.copyOf(bytes, end);
        } else {
            pending.addFirst(new Grow(g.name(), g.from() + length, g.to()));
        }
        appended.put(g.name(), g.from() + bytes.length);
        return new RunFiles.Append(g.name(), g.from(), bytes);
    }

    private RunFiles.Piece part() throws IOException {
        Transfer t = transfer;
        long offset = t.channel().position();
        int length = (int) Math.min(t.size() - offset, RunFiles.PIECE_BYTES);
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining() && t.channel().read(buffer) >= 0) {
            // read the part whole
        }
        boolean last = offset + length >= t.size();
        if (last) {
            t.channel().close();
            transfer = null;
            replaced.put(t.name(), t.signature());
        }
        return new RunFiles.Part(t.name(), offset, java.util.Arrays.copyOf(buffer.array(), buffer.position()), last);
    }

    private List<String> checkpoints() throws IOException {
        return list("checkpoints", RunFiles.CHECKPOINT);
    }

    private List<String> growing() throws IOException {
        List<String> out = new ArrayList<>(list("metrics", RunFiles.APPENDED));
        for (String name : List.of("events.jsonl", "lab.log")) {
            if (Files.isRegularFile(root.resolve(name))) {
                out.add(name);
            }
        }
        return out;
    }

    private List<String> list(String dir, java.util.regex.Pattern allowed) throws IOException {
        if (!Files.isDirectory(root.resolve(dir))) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(root.resolve(dir))) {
            return files.map(p -> dir + "/" + p.getFileName()).filter(n -> allowed.matcher(n).matches()).sorted().toList();
        }
    }

    private static String signature(String name, Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return signature(name, channel);
        }
    }

    /** A checkpoint's data never changes under its name; any other whole file is told by its content. */
    private static String signature(String name, FileChannel channel) throws IOException {
        if (name.endsWith(".bin")) {
            return "bytes:" + channel.size();
        }
        ByteBuffer all = ByteBuffer.allocate((int) Math.min(channel.size(), 16L << 20));
        channel.read(all, 0);
        return DataSources.sha256(java.util.Arrays.copyOf(all.array(), all.position()));
    }

    private static byte[] read(Path file, long from, int length) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining() && in.read(buffer, from + buffer.position()) >= 0) {
                // read the range whole
            }
            return java.util.Arrays.copyOf(buffer.array(), buffer.position());
        }
    }
}
