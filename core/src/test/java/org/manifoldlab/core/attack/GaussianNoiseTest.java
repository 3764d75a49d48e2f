package org.manifoldlab.core.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.Network;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class GaussianNoiseTest {

    @Test
    void noiseIsStandardNormal() {
        INDArray xi = Nd4j.create(DataType.FLOAT, new long[] {1000, 784}, 'c');
        GaussianNoise.drawNoise(5, 0, xi);
        double[] v = xi.data().asDouble();
        double sum = 0;
        double squares = 0;
        int beyond = 0;
        for (double d : v) {
            sum += d;
            squares += d * d;
            beyond += Math.abs(d) > 1.959964 ? 1 : 0;
        }
        int n = v.length;
        assertEquals(0.0, sum / n, 5 / Math.sqrt(n));
        assertEquals(1.0, squares / n, 5 * Math.sqrt(2.0 / n));
        assertEquals(0.05, (double) beyond / n, 5 * Math.sqrt(0.05 * 0.95 / n));
    }

    @Test
    void noiseDependsOnSeedAndSampleNotOnBatching() {
        INDArray all = Nd4j.create(DataType.FLOAT, new long[] {10, 784}, 'c');
        INDArray tail = Nd4j.create(DataType.FLOAT, new long[] {3, 784}, 'c');
        GaussianNoise.drawNoise(8, 0, all);
        GaussianNoise.drawNoise(8, 7, tail);
        assertEquals(all.get(NDArrayIndex.interval(7, 10)), tail);
        INDArray otherSeed = Nd4j.create(DataType.FLOAT, new long[] {10, 784}, 'c');
        GaussianNoise.drawNoise(9, 0, otherSeed);
        assertNotEquals(all, otherSeed);
    }

    @Test
    void unclippedNoiseHasTheExpectedNorms() {
        // x = 0.5 everywhere, sigma = 0.01: |sigma xi| < 0.5 with certainty, so nothing is clipped and
        // ||x' - x||_2 = sigma ||xi||_2 ~ sigma sqrt(784) = 0.28 (chi distribution, sd about sigma / sqrt(2)).
        int n = 400;
        float[] values = new float[n * 784];
        java.util.Arrays.fill(values, 0.5f);
        Dataset flat = new Dataset("flat", 784, 10, values, new int[n]);
        Network net = AttackFixtures.smallTrained();
        RobustnessEvaluation.Result result = RobustnessEvaluation.run(net, flat, List.of(new GaussianNoise(0.01)),
                new int[] {1}, ClipRange.PIXELS, 100, 3);
        INDArray xi = Nd4j.create(DataType.DOUBLE, new long[] {n, 784}, 'c');
        GaussianNoise.drawNoise(3, 0, xi);
        RobustnessRecord r = result.record(new GaussianNoise(0.01), 1);
        assertEquals(0.01 * Math.sqrt(784), r.l2(), 0.01 * 5 / Math.sqrt(2 * n));
        assertEquals(0.01 * org.nd4j.linalg.ops.transforms.Transforms.abs(xi).maxNumber().doubleValue(), r.linf(), 1e-6);
    }

    @Test
    void largeNoiseIsClippedIntoTheDataRange() {
        Network net = AttackFixtures.smallTrained();
        ProbeBatch batch = ProbeBatch.split(AttackFixtures.probes(100), 100, DataType.FLOAT).get(0);
        Attacker attacker = new Attacker(net.frozenCopy(), ClipRange.PIXELS, 4);
        INDArray out = Nd4j.create(DataType.FLOAT, new long[] {100, 784}, 'c');
        attacker.perturb(batch, new GaussianNoise(1.0), 1, out);
        assertEquals(0.0, out.minNumber().doubleValue());
        assertEquals(1.0, out.maxNumber().doubleValue());
        int unchanged = 0;
        for (long i = 0; i < out.length(); i++) {
            unchanged += out.getFloat(i) == batch.x().getFloat(i) ? 1 : 0;
        }
        // Only a pixel at 0 pushed down, or at 1 pushed up, stays: about half the (mostly black) pixels.
        assertTrue(unchanged < out.length() * 0.6, unchanged + " of " + out.length() + " pixels unchanged");
    }

    @Test
    void unclippedNoiseIsExactlyXPlusSigmaXi() {
        Network net = AttackFixtures.smallTrained();
        ProbeBatch batch = ProbeBatch.split(AttackFixtures.probes(100), 100, DataType.FLOAT).get(0);
        Attacker attacker = new Attacker(net.frozenCopy(), ClipRange.PIXELS, 4);
        INDArray out = Nd4j.create(DataType.FLOAT, new long[] {100, 784}, 'c');
        attacker.perturb(batch, new GaussianNoise(1.0, false), 1, out);
        INDArray xi = Nd4j.create(DataType.FLOAT, new long[] {100, 784}, 'c');
        GaussianNoise.drawNoise(4, batch.first(), xi);
        int below = 0;
        for (long i = 0; i < out.length(); i++) {
            float expected = batch.x().getFloat(i) + 1.0f * xi.getFloat(i);
            assertEquals(expected, out.getFloat(i), 1e-6f, "pixel " + i);
            below += out.getFloat(i) < 0 ? 1 : 0;
        }
        // on the zero background about half the noise is negative: clipping would have removed it
        assertTrue(below > out.length() * 0.3, below + " of " + out.length() + " pixels below 0");
        assertEquals("gaussian sigma=1.0 clip=false", new GaussianNoise(1.0, false).describe());
        assertEquals(new GaussianNoise(0.5, false), new GaussianNoise(1.0, false).withStrength(0.5));
    }
}
