package org.manifoldlab.cli.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.data.Idx;
import org.manifoldlab.core.data.IdxFormatException;

/**
 * The IDX files of a data directory, in one of the two layouts {@link DataSources} reads, every file
 * read to its end and checked (magic, dimensions, exact length, gzip CRC), image and label counts
 * compared. Stricter than the loader: a directory with both {@code x} and {@code x.gz}, with both
 * layouts, or with half a layout is refused rather than read by a preference rule.
 */
final class IdxInventory {

    /** One split's images and labels, by base name (the file may add {@code .gz}). */
    record Part(String split, String images, String labels) {
    }

    /** Train and test files of their own: {@code train-*} and {@code t10k-*}. */
    static final List<Part> OWN_SPLIT = List.of(
            new Part("train", "train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
            new Part("test", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"));
    /** One set, split at load time by data.testFraction. */
    static final List<Part> SINGLE = List.of(new Part("all", "images-idx3-ubyte", "labels-idx1-ubyte"));

    /** Where a directory's files are: file name to path, in split order; {@code others} are not IDX data. */
    record Located(Path dir, List<Part> layout, Map<String, Path> files, List<String> others) {
    }

    record SplitStats(String split, String imagesFile, String labelsFile, int count, int rows, int cols,
                      int[] perClass, int minPixel, int maxPixel) {
    }

    record FileEntry(String name, long bytes, String sha256) {
    }

    /** What {@code lab data info} prints and {@code lab data import} records. */
    record Inventory(String where, List<Part> layout, List<SplitStats> splits, List<FileEntry> files) {
        boolean ownSplit() {
            return layout == OWN_SPLIT;
        }

        int classes() {
            return splits.stream().mapToInt(s -> s.perClass().length).max().orElse(0);
        }

        int samples() {
            return splits.stream().mapToInt(SplitStats::count).sum();
        }
    }

    private IdxInventory() {
    }

    /** Finds the IDX files of {@code dir}; the exception names the directory and what is missing or ambiguous. */
    static Located locate(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            throw new IOException(dir + ": no such directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": not a directory");
        }
        List<String> names;
        try (Stream<Path> list = Files.list(dir)) {
            names = list.map(p -> p.getFileName().toString()).sorted().toList();
        }
        boolean own = present(dir, OWN_SPLIT);
        boolean single = present(dir, SINGLE);
        if (own && single) {
            throw new IOException(dir + ": holds both train-/t10k- files and images-/labels- files;"
                    + " keep one layout");
        }
        if (!own && !single) {
            throw new IOException(dir + ": no IDX data; expected train-images-idx3-ubyte[.gz],"
                    + " train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]"
                    + " or images-idx3-ubyte[.gz] and labels-idx1-ubyte[.gz]");
        }
        List<Part> layout = own ? OWN_SPLIT : SINGLE;
        Map<String, Path> files = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (Part part : layout) {
            for (String base : List.of(part.images(), part.labels())) {
                boolean raw = Files.exists(dir.resolve(base));
                boolean gz = Files.exists(dir.resolve(base + ".gz"));
                if (raw && gz) {
                    throw new IOException(dir + ": holds both " + base + " and " + base + ".gz; keep one");
                }
                if (!raw && !gz) {
                    missing.add(base + "[.gz]");
                } else {
                    String name = gz ? base + ".gz" : base;
                    if (!Files.isRegularFile(dir.resolve(name))) {
                        throw new IOException(dir.resolve(name) + ": not a regular file");
                    }
                    files.put(name, dir.resolve(name));
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new IOException(dir + ": missing " + String.join(", ", missing)
                    + " (found " + String.join(", ", files.keySet()) + ")");
        }
        List<String> others = names.stream().filter(n -> !files.containsKey(n)).toList();
        return new Located(dir, layout, files, others);
    }

    /** Reads every located file into memory, in order. */
    static Map<String, byte[]> readAll(Located located) throws IOException {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : located.files().entrySet()) {
            bytes.put(e.getKey(), Files.readAllBytes(e.getValue()));
        }
        return bytes;
    }

    /**
     * Parses and checks every file. {@code where} prefixes file names in messages ("dir/" or a classpath folder).
     *
     * @throws IdxFormatException a file is not what its name says, or images and labels disagree
     */
    static Inventory inventory(String where, List<Part> layout, Map<String, byte[]> files) throws IOException {
        List<SplitStats> splits = new ArrayList<>();
        for (Part part : layout) {
            String imagesFile = name(files, part.images());
            String labelsFile = name(files, part.labels());
            Idx.Images images = Idx.parseImages(where + imagesFile, files.get(imagesFile));
            byte[] labels = Idx.parseLabels(where + labelsFile, files.get(labelsFile));
            if (labels.length != images.count()) {
                throw new IdxFormatException(where + labelsFile, labels.length + " labels for the "
                        + images.count() + " images of " + imagesFile);
            }
            if (!splits.isEmpty() && (splits.get(0).rows() != images.rows() || splits.get(0).cols() != images.cols())) {
                SplitStats first = splits.get(0);
                throw new IdxFormatException(where + imagesFile, "images of " + images.rows() + "x" + images.cols()
                        + " pixels, but " + first.imagesFile() + " has " + first.rows() + "x" + first.cols());
            }
            splits.add(stats(part.split(), imagesFile, labelsFile, images, labels));
        }
        List<FileEntry> entries = new ArrayList<>();
        files.forEach((name, bytes) -> entries.add(new FileEntry(name, bytes.length, DataSources.sha256(bytes))));
        return new Inventory(where, layout, splits, entries);
    }

    private static SplitStats stats(String split, String imagesFile, String labelsFile, Idx.Images images, byte[] labels) {
        int maxLabel = -1;
        for (byte b : labels) {
            maxLabel = Math.max(maxLabel, b & 0xFF);
        }
        int[] perClass = new int[maxLabel + 1];
        for (byte b : labels) {
            perClass[b & 0xFF]++;
        }
        int min = 255;
        int max = 0;
        for (byte b : images.pixels()) {
            int v = b & 0xFF;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (images.pixels().length == 0) {
            min = 0;
        }
        return new SplitStats(split, imagesFile, labelsFile, images.count(), images.rows(), images.cols(),
                perClass, min, max);
    }

    private static boolean present(Path dir, List<Part> layout) {
        for (Part part : layout) {
            for (String base : List.of(part.images(), part.labels())) {
                if (Files.exists(dir.resolve(base)) || Files.exists(dir.resolve(base + ".gz"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String name(Map<String, byte[]> files, String base) throws IOException {
        if (files.containsKey(base + ".gz")) {
            return base + ".gz";
        }
        if (files.containsKey(base)) {
            return base;
        }
        throw new IOException("missing " + base + "[.gz]");
    }
}
