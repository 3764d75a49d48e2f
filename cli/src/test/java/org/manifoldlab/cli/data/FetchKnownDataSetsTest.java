package org.manifoldlab.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.core.data.DataSources;

/**
 * The digest table of {@code lab data fetch}, checked against real files where this machine has them:
 * Debian's Fashion-MNIST, whose gzip headers are restored to zalando's originals.
 */
class FetchKnownDataSetsTest {

    /** Seconds since the epoch of the original gzip mtimes: 2017-08-31 10:50:06 and 10:50:27 UTC. */
    private static final int TRAIN_MTIME = 1504176606;
    private static final int TEST_MTIME = 1504176627;

    @TempDir
    Path tmp;

    @Test
    void bothDataSetsListTheFourFilesTheLoaderReadsWithSizesAndDigests() {
        for (KnownDataSets.DataSet set : KnownDataSets.table().values()) {
            assertEquals(List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                    "t10k-labels-idx1-ubyte.gz"), set.files().stream().map(ExpectedFile::name).toList(), set.name());
            assertEquals("https", set.defaultBase().getScheme(), set.name());
            assertTrue(set.files().stream().allMatch(f -> f.size() > 0), set.name());
        }
        assertTrue(KnownDataSets.MNIST.files().stream().allMatch(f -> f.algorithm().equals("MD5")));
        assertTrue(KnownDataSets.FASHION_MNIST.files().stream().allMatch(f -> f.algorithm().equals("SHA-256")));
        assertEquals(List.of("mnist", "fashion-mnist"), List.copyOf(KnownDataSets.table().keySet()));
    }

    /**
     * Zalando's file: Debian's bytes after its 10-byte gzip header, behind the original header
     * (flag FNAME, the mtime, XFL 0, OS 3 = Unix, the file name without .gz).
     */
    static byte[] zalandoFile(String name) {
        try {
            byte[] debian = Files.readAllBytes(DataSources.FASHION_MNIST_DIR.resolve(name));
            assertEquals(0, debian[3], name + ": Debian's copy has no gzip flags (no name field)");
            byte[] original = name.substring(0, name.length() - 3).getBytes(StandardCharsets.ISO_8859_1);
            ByteBuffer out = ByteBuffer.allocate(debian.length + original.length + 1).order(ByteOrder.LITTLE_ENDIAN);
            out.put(new byte[] {0x1f, (byte) 0x8b, 8, 8}).putInt(name.startsWith("train") ? TRAIN_MTIME : TEST_MTIME)
                    .put((byte) 0).put((byte) 3).put(original).put((byte) 0).put(debian, 10, debian.length - 10);
            return out.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void fashionMnistDigestsAreThoseOfZalandosFilesRebuiltFromDebiansCopies() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(DataSources.FASHION_MNIST_DIR), "dataset-fashion-mnist is not installed");
        for (ExpectedFile f : KnownDataSets.FASHION_MNIST.files()) {
            byte[] debian = Files.readAllBytes(DataSources.FASHION_MNIST_DIR.resolve(f.name()));
            String published = KnownDataSets.FASHION_MNIST_PUBLISHED_MD5.get(f.name());
            assertNotEquals(published, FetcherTest.md5(debian), f.name() + ": Debian's copy as it is");
            byte[] zalando = zalandoFile(f.name());
            assertEquals(f.size(), zalando.length, f.name());
            assertEquals(published, FetcherTest.md5(zalando), f.name() + ": zalando's published MD5");
            assertEquals(f.digest(), DataSources.sha256(zalando), f.name() + ": the table's SHA-256");
        }
    }

    @Test
    void fetchingFashionMnistWithTheRealTableFromAMirrorOfZalandosFiles() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(DataSources.FASHION_MNIST_DIR), "dataset-fashion-mnist is not installed");
        Map<String, byte[]> zalando = new LinkedHashMap<>();
        KnownDataSets.FASHION_MNIST.files().forEach(f -> zalando.put(f.name(), zalandoFile(f.name())));
        try (LoopbackServer mirror = new LoopbackServer().putAll(zalando)) {
            mirror.cutAfter("train-images-idx3-ubyte.gz", 10_000_000);
            Path dir = tmp.resolve("fashion-mnist");
            Cli.Run run = Cli.data(KnownDataSets.table(), Duration.ofSeconds(10), "fetch", "fashion-mnist",
                    "--from", mirror.base().toString(), "--to", dir.toString());
            assertEquals(0, run.exit(), run.toString());
            assertEquals(4, run.out().split("sha256 verified", -1).length - 1, run.out());
            assertTrue(run.out().contains("fashion-mnist: train 60000, test 10000 images of 28x28 pixels; labels 0..9"),
                    run.out());
            assertEquals(Arrays.asList(null, "bytes=10000000-"), mirror.rangesRequested("train-images-idx3-ubyte.gz"));
            Cli.Run info = Cli.lab("data", "info", "idx:" + dir);
            assertEquals(0, info.exit(), info.toString());
            assertEquals(4, info.out().split("  ok\n", -1).length - 1, info.out());
        }
    }
}
