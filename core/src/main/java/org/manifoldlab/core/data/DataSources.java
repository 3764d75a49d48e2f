package org.manifoldlab.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves a data source name to a train/test split:
 * <ul>
 *   <li>{@code mnist-10k}: the 10,000 MNIST digits embedded in the jar (checksums verified
 *       against its PROVENANCE), split by a seeded shuffle;</li>
 *   <li>{@code fashion-mnist}: the IDX files of Debian's dataset-fashion-mnist (60,000 train,
 *       10,000 test), or the directory in the environment variable MANIFOLD_LAB_FASHION_MNIST;</li>
 *   <li>{@code idx:/dir}: a directory holding {@code train-images-idx3-ubyte[.gz]},
 *       {@code train-labels-idx1-ubyte[.gz]}, {@code t10k-...} (its own split), or only
 *       {@code images-idx3-ubyte[.gz]} and {@code labels-idx1-ubyte[.gz]} (split by testFraction).</li>
 * </ul>
 */
public final class DataSources {

    public static final String MNIST_10K = "mnist-10k";
    public static final String FASHION_MNIST = "fashion-mnist";
    public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** Classpath folder of the embedded MNIST-10k files and their PROVENANCE (core's pom puts data/ there). */
    public static final String EMBEDDED = "/org/manifoldlab/data/mnist-10k/";
    private static final Pattern CHECKSUM_LINE = Pattern.compile("^([0-9a-f]{64})\\s+(\\S+)$", Pattern.MULTILINE);

    private DataSources() {
    }

    /** What a run needs to know of a data source before it starts: its input size, classes and training samples. */
    public record Shape(int features, int classes, int trainSamples, int testSamples) {
    }

    /**
     * Reads the source whole, with every check {@link #load} makes, and returns its shape: for
     * checking a spec before anything runs. The message of the exception names the file and
     * what is wrong with it.
     */
    public static Shape inspect(String source, long seed, double testFraction) throws IOException {
        try {
            Dataset.Split split = load(source, seed, testFraction);
            return new Shape(split.train().features(), split.train().classes(), split.train().size(), split.test().size());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    public static Dataset.Split load(String source, long seed, double testFraction) throws IOException {
        if (MNIST_10K.equals(source)) {
            return embeddedMnist10k().split(seed, testFraction);
        }
        if (FASHION_MNIST.equals(source)) {
            String override = System.getenv("MANIFOLD_LAB_FASHION_MNIST");
            return directory(source, override != null ? Path.of(override) : FASHION_MNIST_DIR, seed, testFraction);
        }
        if (source.startsWith("idx:")) {
            return directory(source, Path.of(source.substring(4)), seed, testFraction);
        }
        throw new IllegalArgumentException("unknown data source '" + source
                + "'; expected mnist-10k, fashion-mnist or idx:/path/to/dir");
    }

    /** Whether a source names data that is present here (for validating a spec before a run). */
    public static String problem(String source) {
        if (MNIST_10K.equals(source)) {
            return null;
        }
        Path dir;
        if (FASHION_MNIST.equals(source)) {
            String override = System.getenv("MANIFOLD_LAB_FASHION_MNIST");
            dir = override != null ? Path.of(override) : FASHION_MNIST_DIR;
        } else if (source.startsWith("idx:")) {
            dir = Path.of(source.substring(4));
        } else {
            return "unknown data source '" + source + "'; expected mnist-10k, fashion-mnist or idx:/path/to/dir";
        }
        if (!Files.isDirectory(dir)) {
            return "data directory " + dir + " does not exist"
                    + (FASHION_MNIST.equals(source) ? " (apt-get install dataset-fashion-mnist)" : "");
        }
        if (find(dir, "train-images-idx3-ubyte") == null && find(dir, "images-idx3-ubyte") == null) {
            return "data directory " + dir + " holds neither train-images-idx3-ubyte[.gz] nor images-idx3-ubyte[.gz]";
        }
        return null;
    }

    /** The embedded MNIST-10k, verified against the checksums in its PROVENANCE file. */
    public static Dataset embeddedMnist10k() throws IOException {
        Map<String, String> sums = new LinkedHashMap<>();
        Matcher m = CHECKSUM_LINE.matcher(new String(resource("PROVENANCE"), StandardCharsets.UTF_8));
        while (m.find()) {
            sums.put(m.group(2), m.group(1));
        }
        byte[] images = verified(resource("images-idx3-ubyte.gz"), "images-idx3-ubyte.gz", sums);
        byte[] labels = verified(resource("labels-idx1-ubyte.gz"), "labels-idx1-ubyte.gz", sums);
        return Dataset.fromIdx(MNIST_10K, Idx.parseImages(EMBEDDED + "images-idx3-ubyte.gz", images),
                Idx.parseLabels(EMBEDDED + "labels-idx1-ubyte.gz", labels), EMBEDDED + "labels-idx1-ubyte.gz");
    }

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    /** A file's SHA-256 in hex, read in 1 MB pieces (the file is never held whole). */
    public static String sha256(Path file) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = new java.security.DigestInputStream(Files.newInputStream(file), sha)) {
            byte[] chunk = new byte[1 << 20];
            while (in.read(chunk) >= 0) {
                // the digest sees every byte read
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** A fresh SHA-256 digest. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static Dataset.Split directory(String source, Path dir, long seed, double testFraction) throws IOException {
        String problem = problem(source);
        if (problem != null) {
            throw new IOException(problem);
        }
        Path trainImages = find(dir, "train-images-idx3-ubyte");
        if (trainImages != null) {
            Dataset train = read(source + "/train", trainImages, required(dir, "train-labels-idx1-ubyte"));
            Dataset test = read(source + "/test", required(dir, "t10k-images-idx3-ubyte"), required(dir, "t10k-labels-idx1-ubyte"));
            if (train.features() != test.features()) {
                throw new IdxFormatException(dir.toString(), "train images have " + train.features()
                        + " pixels, test images " + test.features());
            }
            if (test.classes() > train.classes()) {
                throw new IdxFormatException(required(dir, "t10k-labels-idx1-ubyte").toString(), "labels run to " + (test.classes() - 1)
                        + ", past the training labels' classes 0.." + (train.classes() - 1));
            }
            return new Dataset.Split(train, test);
        }
        return read(source, required(dir, "images-idx3-ubyte"), required(dir, "labels-idx1-ubyte")).split(seed, testFraction);
    }

    private static Dataset read(String name, Path images, Path labels) throws IOException {
        byte[] labelBytes = Idx.readLabels(labels);
        if (!name.endsWith("/test")) {  // a test set's classes are checked against the training set's
            requireEveryClass(labels.toString(), labelBytes);
        }
        return Dataset.fromIdx(name, Idx.readImages(images), labelBytes, labels.toString());
    }

    /**
     * Labels are the classes 0..K-1, each present at least once: a label file whose values skip
     * most classes (every label 12, say) would train toward classes that never occur.
     */
    static void requireEveryClass(String file, byte[] labels) throws IdxFormatException {
        int[] counts = new int[256];
        int top = -1;
        for (byte b : labels) {
            counts[b & 0xFF]++;
            top = Math.max(top, b & 0xFF);
        }
        java.util.List<Integer> missing = new java.util.ArrayList<>();
        for (int k = 0; k <= top; k++) {
            if (counts[k] == 0) {
                missing.add(k);
            }
        }
        if (!missing.isEmpty()) {
            String shown = missing.size() <= 8 ? missing.toString() : missing.subList(0, 8) + "...";
            throw new IdxFormatException(file, "labels run to " + top + " but " + missing.size() + " of the classes 0.." + top
                    + " never appear " + shown + "; labels must be the classes 0..K-1");
        }
    }

    private static Path find(Path dir, String base) {
        for (String candidate : new String[] {base + ".gz", base}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static Path required(Path dir, String base) throws IOException {
        Path p = find(dir, base);
        if (p == null) {
            throw new IOException(dir + ": missing " + base + " (or " + base + ".gz)");
        }
        return p;
    }

    private static byte[] resource(String file) throws IOException {
        try (InputStream in = DataSources.class.getResourceAsStream(EMBEDDED + file)) {
            if (in == null) {
                throw new IOException("embedded data " + EMBEDDED + file + " is missing from the classpath");
            }
            return in.readAllBytes();
        }
    }

    private static byte[] verified(byte[] bytes, String file, Map<String, String> sums) throws IOException {
        String expected = sums.get(file);
        String actual = sha256(bytes);
        if (expected == null || !expected.equals(actual)) {
            throw new IdxFormatException(EMBEDDED + file, "sha256 " + actual + " does not match PROVENANCE (" + expected + ")");
        }
        return bytes;
    }
}
