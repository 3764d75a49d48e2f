package org.manifoldlab.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {

    @TempDir
    Path dir;

    private static Idx.Images images(int count) {
        byte[] pixels = new byte[count * 4 * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 37);
        }
        return new Idx.Images(count, 4, 3, pixels);
    }

    @Test
    void imagesAndLabelsRoundTripRawAndGzipped() throws IOException {
        for (boolean gzip : new boolean[] {false, true}) {
            Path img = dir.resolve("img" + gzip);
            Path lab = dir.resolve("lab" + gzip);
            Idx.writeImages(img, images(5), gzip);
            Idx.writeLabels(lab, new byte[] {0, 1, 2, 9, 3}, gzip);
            Idx.Images back = Idx.readImages(img);
            assertEquals(5, back.count());
            assertEquals(4, back.rows());
            assertEquals(3, back.cols());
            assertArrayEquals(images(5).pixels(), back.pixels());
            assertArrayEquals(new byte[] {0, 1, 2, 9, 3}, Idx.readLabels(lab));
        }
    }

    @Test
    void pixelsBecomeFloatsInUnitRange() throws IOException {
        byte[] pixels = {0, (byte) 255, (byte) 128, 1};
        Dataset d = Dataset.fromIdx("t", new Idx.Images(1, 2, 2, pixels), new byte[] {7}, "labels");
        assertEquals(0f, d.value(0, 0));
        assertEquals(1f, d.value(0, 1));
        assertEquals(128f / 255f, d.value(0, 2));
        assertEquals(7, d.label(0));
    }

    @Test
    void wrongMagicIsNamed() throws IOException {
        Path lab = dir.resolve("labels");
        Idx.writeLabels(lab, new byte[] {1, 2}, false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.readImages(lab));
        assertEquals(lab + ": wrong magic number 0x00000801; expected 0x00000803 for images (0x00000803)", e.getMessage());
    }

    @Test
    void truncatedFileIsNamed() throws IOException {
        Path img = dir.resolve("img");
        Idx.writeImages(img, images(5), false);
        byte[] all = Files.readAllBytes(img);
        Files.write(img, Arrays.copyOf(all, all.length - 10));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.readImages(img));
        assertEquals(img + ": truncated: header promises 60 data bytes, file holds 50", e.getMessage());
    }

    @Test
    void truncatedGzipIsNamed() throws IOException {
        Path img = dir.resolve("img.gz");
        Idx.writeImages(img, images(50), true);
        byte[] all = Files.readAllBytes(img);
        Files.write(img, Arrays.copyOf(all, all.length / 2));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.readImages(img));
        assertEquals(true, e.getMessage().startsWith(img + ": corrupt or truncated gzip stream"), e.getMessage());
    }

    @Test
    void trailingBytesAreNamed() throws IOException {
        Path lab = dir.resolve("lab");
        Idx.writeLabels(lab, new byte[] {1, 2}, false);
        Files.write(lab, new byte[] {5, 5}, java.nio.file.StandardOpenOption.APPEND);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.readLabels(lab));
        assertEquals(lab + ": 2 bytes after the 2 data bytes the header promises", e.getMessage());
    }

    @Test
    void headerShorterThanItsSizeIsNamed() throws IOException {
        Path img = dir.resolve("img");
        Files.write(img, new byte[] {0, 0, 8, 3, 0, 0});
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.readImages(img));
        assertEquals(img + ": truncated: 6 bytes is shorter than an IDX header", e.getMessage());
    }

    @Test
    void imageAndLabelCountMismatchIsNamed() throws IOException {
        Path img = dir.resolve("img");
        Path lab = dir.resolve("lab");
        Idx.writeImages(img, images(5), false);
        Idx.writeLabels(lab, new byte[] {1, 2, 3}, false);
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> Dataset.fromIdx("t", Idx.readImages(img), Idx.readLabels(lab), lab.toString()));
        assertEquals(lab + ": 3 labels for 5 images", e.getMessage());
    }

    @Test
    void badDimensionsAreNamed() throws IOException {
        Path img = dir.resolve("img");
        Files.write(img, ByteBuffer.allocate(16).putInt(0x803).putInt(1).putInt(0).putInt(28).array());
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.readImages(img));
        assertEquals(img + ": bad dimensions 1 x 0 x 28", e.getMessage());
    }

    @Test
    void trainAndTestImagesOfDifferentSizesAreRefused() throws IOException {
        Idx.writeImages(dir.resolve("train-images-idx3-ubyte"), images(5), false);
        Idx.writeLabels(dir.resolve("train-labels-idx1-ubyte"), new byte[5], false);
        Idx.writeImages(dir.resolve("t10k-images-idx3-ubyte"), new Idx.Images(2, 2, 2, new byte[8]), false);
        Idx.writeLabels(dir.resolve("t10k-labels-idx1-ubyte"), new byte[2], false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> DataSources.load("idx:" + dir, 1, 0.2));
        assertEquals(dir + ": train images have 12 pixels, test images 4", e.getMessage());
    }

    @Test
    void idxDirectoryWithoutSplitIsSplitByFraction() throws IOException {
        Idx.writeImages(dir.resolve("images-idx3-ubyte.gz"), images(10), true);
        Idx.writeLabels(dir.resolve("labels-idx1-ubyte.gz"), new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, true);
        Dataset.Split split = DataSources.load("idx:" + dir, 1, 0.3);
        assertEquals(7, split.train().size());
        assertEquals(3, split.test().size());
        assertEquals(12, split.train().features());
    }
}
