package org.manifoldlab.core.attack;

import org.manifoldlab.core.data.Dataset;

/**
 * The range every perturbed input is clipped to, [min, max]: the data's own range (pixels:
 * [0, 1]). Part of every attack's record, since it changes what an epsilon means.
 */
public record ClipRange(double min, double max) {

    /** Pixel data, [{@link Dataset#PIXEL_MIN}, {@link Dataset#PIXEL_MAX}]. */
    public static final ClipRange PIXELS = new ClipRange(Dataset.PIXEL_MIN, Dataset.PIXEL_MAX);

    public ClipRange {
        if (!(min < max)) {
            throw new IllegalArgumentException("clip range needs min < max, was [" + min + ", " + max + "]");
        }
    }

    /**
     * The clip range of a data set. Every data set of this project holds pixels scaled to
     * [0, 1] (IDX bytes / 255); this checks that the samples really lie there.
     */
    public static ClipRange of(Dataset data) {
        for (int i = 0; i < data.size(); i++) {
            for (int f = 0; f < data.features(); f++) {
                float v = data.value(i, f);
                if (!(v >= PIXELS.min && v <= PIXELS.max)) {
                    throw new IllegalArgumentException(data.name() + ": sample " + i + " feature " + f + " = " + v
                            + " lies outside the pixel range " + PIXELS);
                }
            }
        }
        return PIXELS;
    }

    public boolean contains(double v) {
        return v >= min && v <= max;
    }

    @Override
    public String toString() {
        return "[" + min + ", " + max + "]";
    }
}
