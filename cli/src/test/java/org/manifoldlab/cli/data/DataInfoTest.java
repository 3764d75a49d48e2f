package org.manifoldlab.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.core.data.DataSources;

/** {@code lab data info}: counts, sizes, pixel range and checksums, for generated and real data. */
class DataInfoTest {

    @TempDir
    Path tmp;

    private static List<String> lines(String text) {
        return Arrays.asList(text.split("\n"));
    }

    private static void assertLine(String expected, Cli.Run run) {
        assertTrue(lines(run.out()).contains(expected), "no line '" + expected + "' in\n" + run);
    }

    @Test
    void printsSplitsClassCountsPixelRangeAndChecksumsOfAnIdxDirectory() throws IOException {
        Map<String, byte[]> files = TestIdx.ownSplit(new int[] {12, 8, 10}, new int[] {3, 4, 5}, 5, 4, tmp.resolve("s"));
        Path dir = TestIdx.write(tmp.resolve("tiny"), files);
        Cli.Run run = Cli.lab("data", "info", "idx:" + dir);
        assertEquals(0, run.exit(), run.toString());
        assertLine("source    idx:" + dir + "  (directory " + dir + ")", run);
        assertLine("layout    its own split: train-* and t10k-* files", run);
        assertLine("samples   train 30, test 12", run);
        assertLine("image     5 x 4 pixels (20 features)", run);
        assertLine("pixels    3..250 (train 3..250, test 3..250); loading scales them by 1/255 into [0, 1]", run);
        assertLine("classes   3 (labels 0..2)", run);
        assertLine("label     train      test", run);
        assertLine("    0        12         3", run);
        assertLine("    1         8         4", run);
        assertLine("    2        10         5", run);
        assertLine("total        30        12", run);
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            assertLine(String.format("%-26s  %10d  %s", e.getKey(), e.getValue().length, DataSources.sha256(e.getValue())), run);
        }
    }

    @Test
    void aSingleSetIsReportedWithTheSplitItGetsWhenLoaded() throws IOException {
        Path dir = TestIdx.write(tmp.resolve("one"), TestIdx.pair("images-idx3-ubyte", "labels-idx1-ubyte",
                new int[] {7, 0, 3}, 2, 3, 5, false, tmp.resolve("s")));
        Cli.Run run = Cli.lab("data", "info", "idx:" + dir);
        assertEquals(0, run.exit(), run.toString());
        assertLine("layout    one set, split when loaded by data.testFraction (default 0.2: 8 train, 2 test)", run);
        assertLine("samples   all 10", run);
        assertLine("pixels    3..250; loading scales them by 1/255 into [0, 1]", run);
        assertLine("label       all", run);
        assertLine("    1         0", run);
        assertLine("    2         3", run);
    }

    @Test
    void theEmbeddedMnist10kHasItsPerClassCountsAndMatchesItsProvenance() {
        Cli.Run run = Cli.lab("data", "info", "mnist-10k");
        assertEquals(0, run.exit(), run.toString());
        assertLine("samples   all 10000", run);
        assertLine("layout    one set, split when loaded by data.testFraction (default 0.2: 8000 train, 2000 test)", run);
        assertLine("image     28 x 28 pixels (784 features)", run);
        assertLine("classes   10 (labels 0..9)", run);
        int[] perClass = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}; // data/mnist-10k/PROVENANCE
        for (int c = 0; c < 10; c++) {
            assertLine(String.format("%5d  %8d", c, perClass[c]), run);
        }
        assertTrue(run.out().contains("b8b96f4857c6d72fe87ffc98dc5e16e83781e3347881b2caa594e9ad1f88ae68  ok"), run.out());
        assertTrue(run.out().contains("90a5104fcc3b28740476f5545ec6579a11daed8a4330dc2ede05ea153f69fb98  ok"), run.out());
    }

    @Test
    void fashionMnistHasSixThousandAndOneThousandPerClassWhenInstalled() {
        Assumptions.assumeTrue(Files.isDirectory(DataSources.FASHION_MNIST_DIR), "dataset-fashion-mnist is not installed");
        Cli.Run run = Cli.lab("data", "info", "fashion-mnist");
        assertEquals(0, run.exit(), run.toString());
        assertLine("samples   train 60000, test 10000", run);
        assertLine("pixels    0..255 (train 0..255, test 0..255); loading scales them by 1/255 into [0, 1]", run);
        for (int c = 0; c < 10; c++) {
            assertLine(String.format("%5d  %8d  %8d", c, 6000, 1000), run);
        }
    }

    @Test
    void aBrokenDirectoryIsBadInputAndTheMessageNamesTheFile() throws IOException {
        Map<String, byte[]> files = TestIdx.ownSplit(new int[] {5, 5}, new int[] {2, 2}, 3, 3, tmp.resolve("s"));
        Path dir = TestIdx.write(tmp.resolve("broken"), files);
        byte[] images = files.get("t10k-images-idx3-ubyte.gz");
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), Arrays.copyOf(images, images.length - 9));
        Cli.Run run = Cli.lab("data", "info", "idx:" + dir);
        assertEquals(2, run.exit(), run.toString());
        assertTrue(run.err().startsWith("lab: " + dir + "/t10k-images-idx3-ubyte.gz: corrupt or truncated gzip stream"),
                run.err());

        Files.delete(dir.resolve("t10k-images-idx3-ubyte.gz"));
        Cli.Run missing = Cli.lab("data", "info", "idx:" + dir);
        assertEquals(2, missing.exit(), missing.toString());
        assertTrue(missing.err().startsWith("lab: " + dir + ": missing t10k-images-idx3-ubyte[.gz] (found "), missing.err());

        Cli.Run unknown = Cli.lab("data", "info", "mnist");
        assertEquals(2, unknown.exit(), unknown.toString());
        assertTrue(unknown.err().contains("unknown data source 'mnist'; expected mnist-10k, fashion-mnist or idx:/path/to/dir"),
                unknown.err());
    }

    @Test
    void aFileThatDiffersFromItsProvenanceFails() throws IOException {
        Map<String, byte[]> files = TestIdx.ownSplit(new int[] {5, 5}, new int[] {2, 2}, 3, 3, tmp.resolve("s"));
        Path dir = TestIdx.write(tmp.resolve("recorded"), files);
        StringBuilder provenance = new StringBuilder("Source:     test\n");
        files.forEach((name, bytes) -> provenance.append(name.startsWith("train-labels") ? "0".repeat(64)
                : DataSources.sha256(bytes)).append("  ").append(name).append('\n'));
        Files.writeString(dir.resolve("PROVENANCE"), provenance);
        Cli.Run run = Cli.lab("data", "info", "idx:" + dir);
        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.out().contains(DataSources.sha256(files.get("train-labels-idx1-ubyte.gz")) + "  DIFFERS: recorded "
                + "0".repeat(64)), run.out());
        assertEquals(3, run.out().split("  ok\n", -1).length - 1, run.out());
        assertTrue(run.err().contains("lab: 1 file differs from the checksums in PROVENANCE"), run.err());
    }
}
