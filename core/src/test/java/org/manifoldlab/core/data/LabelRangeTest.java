package org.manifoldlab.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Labels are the classes 0..K-1: a data set that names classes it never shows is refused before a run. */
class LabelRangeTest {

    @TempDir
    Path dir;

    private void write(byte[] labels) throws IOException {
        byte[] pixels = new byte[labels.length * 4];
        Idx.writeImages(dir.resolve("images-idx3-ubyte"), new Idx.Images(labels.length, 2, 2, pixels), false);
        Idx.writeLabels(dir.resolve("labels-idx1-ubyte"), labels, true);
    }

    @Test
    void everyLabelTwelveIsRefusedNamingTheFile() throws IOException {
        byte[] labels = new byte[40];
        Arrays.fill(labels, (byte) 12);
        write(labels);
        IOException e = assertThrows(IOException.class, () -> DataSources.inspect("idx:" + dir, 1, 0.25));
        assertEquals(dir.resolve("labels-idx1-ubyte") + ": labels run to 12 but 12 of the classes 0..12 never appear "
                + "[0, 1, 2, 3, 4, 5, 6, 7]...; labels must be the classes 0..K-1", e.getMessage());
    }

    @Test
    void twoClassesZeroAndOneAreAccepted() throws IOException {
        byte[] labels = new byte[40];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) (i % 2);
        }
        write(labels);
        DataSources.Shape shape = DataSources.inspect("idx:" + dir, 1, 0.25);
        assertEquals(4, shape.features());
        assertEquals(30, shape.trainSamples());
        assertEquals(10, shape.testSamples());
        assertTrue(shape.classes() >= 2);
    }

    @Test
    void labelsShorterThanImagesAreNamed() throws IOException {
        Idx.writeImages(dir.resolve("images-idx3-ubyte"), new Idx.Images(10, 2, 2, new byte[40]), false);
        Idx.writeLabels(dir.resolve("labels-idx1-ubyte"), new byte[9], false);
        IOException e = assertThrows(IOException.class, () -> DataSources.inspect("idx:" + dir, 1, 0.25));
        assertTrue(e.getMessage().contains("labels-idx1-ubyte: 9 labels for 10 images"), e.getMessage());
    }
}
