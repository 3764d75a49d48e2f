package org.manifoldlab.actors.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A run directory's files as they cross between nodes when there is no shared disk: what a
 * stream of them carries, and which names it may carry. Files that only grow (metrics CSVs,
 * events.jsonl, lab.log) travel as byte ranges from an offset; files that are replaced whole
 * (manifest, spec, checkpoints) travel as whole files in parts, renamed into place after the
 * last. Every name is checked against the run directory's layout before anything is written: a
 * name that would resolve outside the run directory, or to anything but a file of a run, is
 * refused, and so is a piece or a file above its size bound.
 */
public final class RunFiles {

    /** The bytes one piece carries at most; well inside Artery's 256 KiB frame. */
    public static final int PIECE_BYTES = 64 * 1024;

    /** Files that only grow, streamed as byte ranges. */
    static final Pattern APPENDED = Pattern.compile("events\\.jsonl|lab\\.log|metrics/[A-Za-z0-9][A-Za-z0-9_-]{0,63}\\.csv");
    /** A checkpoint's data or manifest (see CheckpointStore). */
    static final Pattern CHECKPOINT = Pattern.compile("checkpoints/ckpt-e\\d{4}(-b\\d{6})?\\.(bin|json)");
    /** Files replaced whole (written to a temporary name and renamed). */
    static final Pattern REPLACED = Pattern.compile("manifest\\.json|" + CHECKPOINT.pattern());
    static final String SPEC = "spec.json";

    private RunFiles() {
    }

    /** One piece of a stream of run files; path is relative to the run directory, with '/' between names. */
    public sealed interface Piece extends CborSerializable permits Append, Part, Delete {
        String path();
    }

    /**
     * Bytes of a file that only grows, at offset: the file is cut to offset, then the bytes are
     * written there. An empty piece cuts the file (a resumed run drops the rows written after its
     * checkpoint); a piece at offset 0 starts the file over.
     */
    public record Append(String path, long offset, byte[] bytes) implements Piece {
    }

    /** A part of a file replaced whole: parts come in order from offset 0; the last renames the file into place. */
    public record Part(String path, long offset, byte[] bytes, boolean last) implements Piece {
    }

    /** A checkpoint the run no longer keeps. */
    public record Delete(String path) implements Piece {
    }

    /**
     * The file a streamed name stands for, inside root; throws when the name is not one of a
     * run's files (by pattern), resolves outside root, or leads through a symbolic link.
     */
    static Path resolve(Path root, String name, Pattern allowed) throws IOException {
        if (name == null || name.length() > 200 || !allowed.matcher(name).matches()) {
            throw new IOException("refused: streamed file name '" + abbreviate(name) + "' is not a file of a run directory");
        }
        Path base = root.toAbsolutePath().normalize();
        Path file = base.resolve(name).normalize();
        if (!file.startsWith(base) || file.equals(base)) {
            throw new IOException("refused: streamed file name '" + name + "' resolves outside the run directory");
        }
        for (Path p = file; !p.equals(base); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                throw new IOException("refused: streamed file " + name + " leads through the symbolic link " + base.relativize(p));
            }
        }
        return file;
    }

    private static String abbreviate(String name) {
        return name == null ? "null" : name.length() <= 80 ? name : name.substring(0, 80) + "...";
    }
}
