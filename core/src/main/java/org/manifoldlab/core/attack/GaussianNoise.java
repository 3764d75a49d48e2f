package org.manifoldlab.core.attack;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.manifoldlab.core.seed.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Random, not adversarial: x' = clip(x + sigma * xi), xi ~ N(0, I), or x' = x + sigma * xi
 * when {@code clipped} is false. Clipping to the data's range is the default (x' stays an
 * image), but on data with a zero background (MNIST) it removes the negative half of the noise
 * there, so the spec lets a user turn it off (attacks.gaussian.clip).
 *
 * <p>Sample s of the probe set draws its xi from the stream (seed, "gaussian", s), whatever the
 * batch it travels in, the layer and sigma: the same xi serves every sigma (common random
 * numbers: the accuracy-vs-sigma curve then shows sigma's effect, not a new draw's) and every
 * layer (one noisy batch is tallied at every readout), and any split of the probe set into
 * batches gives the same noise.
 */
public record GaussianNoise(double sigma, boolean clipped) implements Attack {

    public static final String PURPOSE = "gaussian";

    public GaussianNoise {
        Attack.requireStrength("sigma", sigma);
    }

    /** Noise clipped to the data's range (the default). */
    public GaussianNoise(double sigma) {
        this(sigma, true);
    }

    /** xi for rows first .. first + rows of the probe set into xi: [rows, features], 'c' order. */
    public static void drawNoise(long seed, int first, INDArray xi) {
        int rows = xi.rows();
        int cols = xi.columns();
        boolean isFloat = xi.dataType() == DataType.FLOAT;
        FloatBuffer f = isFloat ? xi.data().asNioFloat() : null;
        DoubleBuffer d = isFloat ? null : xi.data().asNioDouble();
        for (int r = 0; r < rows; r++) {
            SplittableRandom random = Seeds.stream(seed, PURPOSE, first + r);
            for (int c = 0, i = r * cols; c < cols; c++, i++) {
                double v = random.nextGaussian();
                if (isFloat) {
                    f.put(i, (float) v);
                } else {
                    d.put(i, v);
                }
            }
        }
    }

    /** out = clip(x + sigma * xi), or x + sigma * xi when not clipped.  x, xi, out: [rows, features]. */
    public void perturb(INDArray x, INDArray xi, ClipRange clip, INDArray out) {
        if (clipped) {
            Elementwise.addScaledClipped(x, xi, sigma, clip, out);
        } else {
            Elementwise.addScaled(x, xi, sigma, out);
        }
    }

    @Override
    public String name() {
        return "gaussian";
    }

    @Override
    public double strength() {
        return sigma;
    }

    @Override
    public boolean perLayer() {
        return false;
    }

    @Override
    public String target() {
        return "none";
    }

    @Override
    public String describe() {
        return "gaussian sigma=" + sigma + (clipped ? "" : " clip=false");
    }

    @Override
    public GaussianNoise withStrength(double strength) {
        return new GaussianNoise(strength, clipped);
    }
}
