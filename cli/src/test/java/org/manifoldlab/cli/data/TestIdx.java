package org.manifoldlab.cli.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.manifoldlab.core.data.Idx;

/** Small generated IDX files whose counts a test knows. */
final class TestIdx {

    private TestIdx() {
    }

    /**
     * Images of rows x cols with pixels in [3, 250] (both values occur), labels with the given
     * per-class counts (in class order, then shuffled by the seed).
     */
    static Map<String, byte[]> pair(String imagesName, String labelsName, int[] perClass, int rows, int cols,
                                    long seed, boolean gzip, Path scratch) throws IOException {
        int count = 0;
        for (int c : perClass) {
            count += c;
        }
        SplittableRandom random = new SplittableRandom(seed);
        byte[] labels = new byte[count];
        int i = 0;
        for (int c = 0; c < perClass.length; c++) {
            for (int k = 0; k < perClass[c]; k++) {
                labels[i++] = (byte) c;
            }
        }
        for (int j = count - 1; j > 0; j--) {
            int r = random.nextInt(j + 1);
            byte t = labels[j];
            labels[j] = labels[r];
            labels[r] = t;
        }
        byte[] pixels = new byte[count * rows * cols];
        for (int p = 0; p < pixels.length; p++) {
            pixels[p] = (byte) random.nextInt(3, 251);
        }
        pixels[0] = 3;
        pixels[pixels.length - 1] = (byte) 250;
        Files.createDirectories(scratch);
        Path img = scratch.resolve(imagesName);
        Path lab = scratch.resolve(labelsName);
        Idx.writeImages(img, new Idx.Images(count, rows, cols, pixels), gzip);
        Idx.writeLabels(lab, labels, gzip);
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put(imagesName, Files.readAllBytes(img));
        out.put(labelsName, Files.readAllBytes(lab));
        Files.delete(img);
        Files.delete(lab);
        return out;
    }

    /** The four gzipped files of a data set with its own split: train and test per-class counts as given. */
    static Map<String, byte[]> ownSplit(int[] trainPerClass, int[] testPerClass, int rows, int cols, Path scratch)
            throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.putAll(pair("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", trainPerClass, rows, cols, 1,
                true, scratch));
        files.putAll(pair("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", testPerClass, rows, cols, 2,
                true, scratch));
        return files;
    }

    static Path write(Path dir, Map<String, byte[]> files) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
        return dir;
    }
}
