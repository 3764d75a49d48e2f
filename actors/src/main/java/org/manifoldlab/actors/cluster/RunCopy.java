package org.manifoldlab.actors.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.pekko.Done;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * The receiving end of a stream of run files ({@link RunFiles}): writes them into one run
 * directory, the coordinator's copy of a run that a node computes in a directory of its own (or
 * a node's local copy of the coordinator's). Only one placement of a job writes at a time: a
 * new placement is {@link #admit admitted} before it reads or writes the copy, and from then on
 * pieces from an earlier placement (a node that was lost while its stream was still arriving)
 * are dropped. Whole files are written to NAME.part and renamed into place after their last
 * part, so the copy never holds half a checkpoint; growing files are written at the offset the
 * sender names, never past the end, so the copy never holds a hole.
 */
public final class RunCopy {

    private final Path root;
    private final long maxFileBytes;
    private final Pattern replaced;
    private int attempt = -1;
    /** Whole files being received: their temporary file's length so far. */
    private final Map<String, Long> parts = new HashMap<>();

    /**
     * @param root         the run directory written into
     * @param maxFileBytes no file of the copy grows beyond this
     * @param withSpec     whether spec.json may be written (a node's copy of the coordinator's run; never the
     *                     coordinator's own copy, whose spec.json it wrote itself)
     */
    public RunCopy(Path root, long maxFileBytes, boolean withSpec) {
        this.root = root.toAbsolutePath().normalize();
        this.maxFileBytes = maxFileBytes;
        this.replaced = withSpec ? Pattern.compile(RunFiles.SPEC.replace(".", "\\.") + "|" + RunFiles.REPLACED.pattern()) : RunFiles.REPLACED;
    }

    public Path root() {
        return root;
    }

    /**
     * From now on only the pieces of this placement are written; half-received files of an
     * earlier one are deleted. Returns once no write of an earlier placement is under way.
     */
    public synchronized void admit(int placement) throws IOException {
        attempt = placement;
        parts.clear();
        for (Path dir : new Path[] {root, root.resolve("metrics"), root.resolve("checkpoints")}) {
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".part")).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    /** Whether this placement is the one admitted. */
    public synchronized boolean admitted(int placement) {
        return attempt == placement;
    }

    /** A sink writing the pieces of one placement; its value completes when the last is written, or fails with the reason. */
    public Sink<RunFiles.Piece, CompletionStage<Done>> sink(int placement, Executor io) {
        return Flow.<RunFiles.Piece>create()
                .mapAsync(1, piece -> CompletableFuture.supplyAsync(() -> {
                    try {
                        write(placement, piece);
                        return Done.getInstance();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, io))
                .toMat(Sink.ignore(), Keep.right());
    }

    /** Writes one piece of a placement; a piece of a placement that is no longer admitted is dropped. */
    public synchronized void write(int placement, RunFiles.Piece piece) throws IOException {
        if (placement != attempt) {
            return;
        }
        if (piece instanceof RunFiles.Append a) {
            append(a);
        } else if (piece instanceof RunFiles.Part p) {
            part(p);
        } else if (piece instanceof RunFiles.Delete d) {
            Files.deleteIfExists(RunFiles.resolve(root, d.path(), RunFiles.CHECKPOINT));
        }
    }

    private void append(RunFiles.Append a) throws IOException {
        Path file = RunFiles.resolve(root, a.path(), RunFiles.APPENDED);
        checkPiece(a.path(), a.offset(), a.bytes());
        long size = Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? Files.size(file) : 0;
        if (a.offset() > size) {
            throw new IOException(a.path() + ": a piece at offset " + a.offset() + " would leave a hole after byte " + size);
        }
        Files.createDirectories(file.getParent());
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            out.truncate(a.offset());
            writeAt(out, a.offset(), a.bytes());
        }
    }

    private void part(RunFiles.Part p) throws IOException {
        Path file = RunFiles.resolve(root, p.path(), replaced);
        checkPiece(p.path(), p.offset(), p.bytes());
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        long expected = p.offset() == 0 ? 0 : parts.getOrDefault(p.path(), -1L);
        if (p.offset() != expected) {
            throw new IOException(p.path() + ": a part at offset " + p.offset() + " out of order (expected " + expected + ")");
        }
        Files.createDirectories(file.getParent());
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            out.truncate(p.offset());
            writeAt(out, p.offset(), p.bytes());
        }
        parts.put(p.path(), p.offset() + p.bytes().length);
        if (p.last()) {
            parts.remove(p.path());
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private void checkPiece(String path, long offset, byte[] bytes) throws IOException {
        if (bytes == null || bytes.length > RunFiles.PIECE_BYTES) {
            throw new IOException("refused: a piece of " + path + " carries " + (bytes == null ? "no" : bytes.length) + " bytes, more than "
                    + RunFiles.PIECE_BYTES);
        }
        if (offset < 0 || offset + bytes.length > maxFileBytes) {
            throw new IOException("refused: " + path + " would reach byte " + (offset + bytes.length) + ", beyond the bound of " + maxFileBytes
                    + " (manifold-lab.cluster.results.max-file-bytes)");
        }
    }

    private static void writeAt(FileChannel out, long offset, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long at = offset;
        while (buffer.hasRemaining()) {
            at += out.write(buffer, at);
        }
    }
}
