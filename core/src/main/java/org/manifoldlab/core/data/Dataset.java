package org.manifoldlab.core.data;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.manifoldlab.core.seed.Seeds;

/**
 * Labelled samples held as one float array (row-major [count, features], values in the data's
 * clip range) and int labels. Immutable: splits and subsets copy.
 */
public final class Dataset {

    /** Pixel data lives in [0, 1]; attacks clip to this range. */
    public static final double PIXEL_MIN = 0.0;
    public static final double PIXEL_MAX = 1.0;

    private final String name;
    private final int features;
    private final int classes;
    private final float[] x;
    private final int[] labels;

    public Dataset(String name, int features, int classes, float[] x, int[] labels) {
        if (features <= 0 || x.length != (long) labels.length * features) {
            throw new IllegalArgumentException(name + ": " + x.length + " values is not "
                    + labels.length + " samples x " + features + " features");
        }
        for (int label : labels) {
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException(name + ": label " + label + " outside 0.." + (classes - 1));
            }
        }
        this.name = name;
        this.features = features;
        this.classes = classes;
        this.x = x;
        this.labels = labels;
    }

    /** Images as bytes /255, labels as given; the image and label counts must agree. */
    public static Dataset fromIdx(String name, Idx.Images images, byte[] labelBytes, String labelFile) throws IdxFormatException {
        if (images.count() != labelBytes.length) {
            throw new IdxFormatException(labelFile, labelBytes.length + " labels for " + images.count() + " images");
        }
        float[] x = new float[images.pixels().length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (images.pixels()[i] & 0xFF) / 255f;
        }
        int[] labels = new int[labelBytes.length];
        int classes = 0;
        for (int i = 0; i < labels.length; i++) {
            labels[i] = labelBytes[i] & 0xFF;
            classes = Math.max(classes, labels[i] + 1);
        }
        return new Dataset(name, images.pixelsPerImage(), Math.max(classes, 10), x, labels);
    }

    public record Split(Dataset train, Dataset test) {
    }

    /** A seeded shuffle, then the first round(testFraction * n) samples are the test set. */
    public Split split(long seed, double testFraction) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must lie in (0, 1), was " + testFraction);
        }
        int[] order = Seeds.permutation(Seeds.stream(seed, "split", 0), size());
        int nTest = (int) Math.round(testFraction * size());
        return new Split(subset(Arrays.copyOfRange(order, nTest, size()), name + "/train"),
                subset(Arrays.copyOfRange(order, 0, nTest), name + "/test"));
    }

    /**
     * A validation set held out of this (training) set: a seeded shuffle from its own stream
     * ("validation", so the test split and the batch order are unaffected), then the first
     * round(fraction * n) samples are held out; both keep their original order.
     */
    public Split holdOut(long seed, double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("the validation fraction must lie in (0, 1), was " + fraction);
        }
        int[] order = Seeds.permutation(Seeds.stream(seed, "validation", 0), size());
        int held = (int) Math.round(fraction * size());
        if (held < 1 || held >= size()) {
            throw new IllegalArgumentException("a validation fraction of " + fraction + " of " + size()
                    + " samples leaves " + held + " held out and " + (size() - held) + " to train on");
        }
        int[] kept = Arrays.copyOfRange(order, held, size());
        int[] out = Arrays.copyOfRange(order, 0, held);
        Arrays.sort(kept);
        Arrays.sort(out);
        return new Split(subset(kept, name), subset(out, name + "/validation"));
    }

    /** The first n samples in a seeded random order (the probe set of analyses and attacks). */
    public Dataset sample(long seed, int n) {
        if (n >= size()) {
            return this;
        }
        int[] order = Seeds.permutation(Seeds.stream(seed, "probe", 0), size());
        int[] chosen = Arrays.copyOf(order, n);
        Arrays.sort(chosen);
        return subset(chosen, name + "/probe" + n);
    }

    public Dataset subset(int[] indices, String subsetName) {
        float[] sx = new float[indices.length * features];
        int[] sl = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(x, indices[i] * features, sx, i * features, features);
            sl[i] = labels[indices[i]];
        }
        return new Dataset(subsetName, features, classes, sx, sl);
    }

    /** The order in which one epoch visits the samples: a permutation from the (seed, epoch) stream. */
    public int[] epochOrder(long seed, int epoch) {
        SplittableRandom random = Seeds.stream(seed, "batch-order", epoch);
        return Seeds.permutation(random, size());
    }

    public String name() {
        return name;
    }

    public int size() {
        return labels.length;
    }

    public int features() {
        return features;
    }

    public int classes() {
        return classes;
    }

    public int label(int i) {
        return labels[i];
    }

    /** Copies sample i's features into {@code out} at {@code offset}. */
    public void copyFeatures(int i, float[] out, int offset) {
        System.arraycopy(x, i * features, out, offset, features);
    }

    /** Read-only view of one feature value, for tests and checks. */
    public float value(int sample, int feature) {
        return x[sample * features + feature];
    }
}
