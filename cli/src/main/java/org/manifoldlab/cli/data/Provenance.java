package org.manifoldlab.cli.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.manifoldlab.cli.Version;

/**
 * The PROVENANCE file of a data directory (as data/mnist-10k has): where the files came from, when,
 * and the SHA-256 of each file in {@code sha256sum} format, so {@code lab data info} (and
 * {@code sha256sum -c}) can check them. Also installs a directory atomically.
 */
final class Provenance {

    static final String FILE = "PROVENANCE";
    private static final Pattern CHECKSUM_LINE = Pattern.compile("^([0-9a-f]{64})\\s+(\\S+)$", Pattern.MULTILINE);

    private Provenance() {
    }

    /**
     * @param source where the files came from (a path or a URL)
     * @param verb    "Imported" or "Fetched"
     * @param command the command that wrote it, e.g. "lab data import"
     * @param notes   further "Key: value" lines
     */
    static String text(String source, String verb, String command, String content, List<String> notes,
                       List<IdxInventory.FileEntry> files) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("%-12s%s%n", "Source:", source));
        s.append(String.format("%-12s%s by %s (manifold-lab %s)%n", verb + ":",
                Instant.now().truncatedTo(ChronoUnit.SECONDS), command, Version.current()));
        s.append(String.format("%-12s%s%n", "Content:", content));
        notes.forEach(n -> s.append(n).append(System.lineSeparator()));
        s.append("Checksums (sha256 of the files as stored; lab data info verifies them):").append(System.lineSeparator());
        files.forEach(f -> s.append(f.sha256()).append("  ").append(f.name()).append(System.lineSeparator()));
        return s.toString();
    }

    /** One line: "train 60000, test 10000 images of 28x28 pixels; labels 0..9". */
    static String content(IdxInventory.Inventory inv) {
        StringBuilder s = new StringBuilder();
        for (IdxInventory.SplitStats split : inv.splits()) {
            s.append(s.length() == 0 ? "" : ", ").append(split.split()).append(' ').append(split.count());
        }
        IdxInventory.SplitStats first = inv.splits().get(0);
        return s + " images of " + first.rows() + "x" + first.cols() + " pixels; labels 0.." + (inv.classes() - 1);
    }

    /** The checksum lines of a PROVENANCE file: file name to SHA-256; empty when there is none. */
    static Map<String, String> checksums(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        return Files.isRegularFile(file) ? checksums(Files.readString(file, StandardCharsets.UTF_8)) : Map.of();
    }

    static Map<String, String> checksums(String text) {
        Map<String, String> sums = new LinkedHashMap<>();
        Matcher m = CHECKSUM_LINE.matcher(text);
        while (m.find()) {
            sums.put(m.group(2), m.group(1));
        }
        return sums;
    }

    /** Writes {@code dir/PROVENANCE} through a temporary file and a rename. */
    static void write(Path dir, String text) throws IOException {
        Path tmp = dir.resolve("." + FILE + ".tmp");
        Files.deleteIfExists(tmp);
        writeDurably(tmp, text.getBytes(StandardCharsets.UTF_8));
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Creates {@code parent/name} holding {@code files} and a PROVENANCE, or nothing: the files go
     * to a hidden temporary directory beside it, which is renamed when complete and deleted on any
     * failure (with {@code parent}, if this call created it and it is empty).
     */
    static Path install(Path parent, String name, Map<String, byte[]> files, String provenance) throws IOException {
        Path target = parent.resolve(name);
        boolean createdParent = !Files.isDirectory(parent);
        Files.createDirectories(parent);
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory(parent, "." + name + ".import-");
            PosixFileAttributeView posix = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
            if (posix != null) {
                // temporary directories are created rwx------; a data directory is for everyone to read
                posix.setPermissions(PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                writeDurably(tmp.resolve(e.getKey()), e.getValue());
            }
            writeDurably(tmp.resolve(FILE), provenance.getBytes(StandardCharsets.UTF_8));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException | RuntimeException e) {
            if (tmp != null) {
                try {
                    deleteTree(tmp);
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            if (createdParent) {
                try {
                    Files.deleteIfExists(parent);
                } catch (DirectoryNotEmptyException ignored) {
                    // something else was put there meanwhile: leave it
                }
            }
            throw e;
        }
    }

    private static void writeDurably(Path file, byte[] bytes) throws IOException {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
