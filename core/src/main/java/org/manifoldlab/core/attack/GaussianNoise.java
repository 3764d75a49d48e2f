package org.manifoldlab.core.attack;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.manifoldlab.core.seed.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Random, not adversarial: x' = clip(x + sigma * xi), xi ~ N(0, I).
 *
 * <p>Sample s of the probe set draws its xi from the stream (seed, "gaussian", s), whatever the
 * batch it travels in, the layer and sigma: the same xi serves every sigma (common random
 * numbers: the accuracy-vs-sigma curve then shows sigma's effect, not a new draw's) and every
 * layer (one noisy batch is tallied at every readout), and any split of the probe set into
 * batches gives the same noise.
 */
public record GaussianNoise(double sigma) implements Attack {

    public static final String PURPOSE = "gaussian";

    public GaussianNoise {
        Attack.requireStrength("sigma", sigma);
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

    /** out = clip(x + sigma * xi).  x, xi, out: [rows, features]. */
    public void perturb(INDArray x, INDArray xi, ClipRange clip, INDArray out) {
        Elementwise.addScaledClipped(x, xi, sigma, clip, out);
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
        return "gaussian sigma=" + sigma;
    }

    @Override
    public GaussianNoise withStrength(double strength) {
        return new GaussianNoise(strength);
    }
}
