package org.manifoldlab.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.manifoldlab.core.seed.Seeds;

class BinomialSamplerTest {

    @Test
    void tableMatchesHandComputedProbabilities() {
        BinomialSampler half = new BinomialSampler(3, 0.5);  // 1/8, 3/8, 3/8, 1/8
        assertEquals(0.125, half.cdf(0), 1e-15);
        assertEquals(0.5, half.cdf(1), 1e-15);
        assertEquals(0.875, half.cdf(2), 1e-15);
        assertEquals(1.0, half.cdf(3), 1e-15);
        BinomialSampler skew = new BinomialSampler(4, 0.9);  // P(X <= 2) = 1 - 0.9^4 - 4 0.9^3 0.1 = 0.0523
        assertEquals(1 - Math.pow(0.9, 4) - 4 * Math.pow(0.9, 3) * 0.1, skew.cdf(2), 1e-12);
        assertEquals(1.0, new BinomialSampler(10, 1.0).cdf(9) + 1.0, 1e-15, "p = 1: all mass at n");
        assertEquals(10, new BinomialSampler(10, 1.0).sample(new SplittableRandom(1)));
        assertEquals(0, new BinomialSampler(10, 0.0).sample(new SplittableRandom(1)));
    }

    @Test
    void drawsHaveTheBinomialMeanAndVarianceAtTwoThousandProbes() {
        BinomialSampler b = new BinomialSampler(2000, 0.93);
        SplittableRandom r = Seeds.stream(1, "test-binomial", 0);
        int draws = 40_000;
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < draws; i++) {
            int k = b.sample(r);
            sum += k;
            squares += (double) k * k;
        }
        double mean = sum / draws;
        double variance = squares / draws - mean * mean;
        double trueVariance = 2000 * 0.93 * 0.07;  // 130.2
        assertEquals(1860, mean, 5 * Math.sqrt(trueVariance / draws));
        assertEquals(trueVariance, variance, 5 * trueVariance * Math.sqrt(2.0 / draws));
    }
}
