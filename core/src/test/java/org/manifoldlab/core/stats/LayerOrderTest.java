package org.manifoldlab.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.manifoldlab.core.seed.Seeds;

/**
 * The seed-level paired test on simulated studies with a known answer. Each simulated seed
 * shifts every layer's accuracy by a common N(0, 0.01) (seeds differ in overall skill) and each
 * layer by its own N(0, 0.003) (seed x layer noise); each layer's count is then binomial over
 * 2,000 probes.
 */
class LayerOrderTest {

    private static final int PROBES = 2000;
    private static final int STUDIES = 200;
    private static final int REPLICATES = 1000;

    private static List<SeedBootstrap.Unit> study(SplittableRandom r, double[] truth, int seeds) {
        List<SeedBootstrap.Unit> units = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            double shift = 0.01 * r.nextGaussian();
            long[] correct = new long[truth.length];
            long[] samples = new long[truth.length];
            for (int l = 0; l < truth.length; l++) {
                double p = Math.min(1, Math.max(0, truth[l] + shift + 0.003 * r.nextGaussian()));
                correct[l] = new BinomialSampler(PROBES, p).sample(r);
                samples[l] = PROBES;
            }
            units.add(new SeedBootstrap.Unit("seed " + (s + 1), correct, samples));
        }
        return units;
    }

    private static int count(double[] truth, int seeds, LayerOrder.Order wanted) {
        int hits = 0;
        for (int k = 0; k < STUDIES; k++) {
            SplittableRandom r = Seeds.stream(7, "test-simulated-study", k);
            LayerOrder.Family f = LayerOrder.test(List.of(new LayerOrder.Input(0.1, study(r, truth, seeds))), REPLICATES, k);
            hits += f.strengths().get(0).order() == wanted ? 1 : 0;
        }
        return hits;
    }

    @Test
    void flatTruthIsJudgedNoDifferenceInAtLeastNinetyPercentOfStudies() {
        int hits = count(new double[] {0.9, 0.9, 0.9, 0.9, 0.9}, 5, LayerOrder.Order.NO_DIFFERENCE);
        System.out.println("flat truth, 5 layers, 5 seeds: no difference in " + hits + " of " + STUDIES);
        assertTrue(hits >= 0.9 * STUDIES, hits + " of " + STUDIES);
    }

    @Test
    void aTrendOfTwoPointsPerLayerIsFoundInAtLeastEightyPercentOfStudies() {
        int hits = count(new double[] {0.80, 0.82, 0.84, 0.86, 0.88}, 5, LayerOrder.Order.INCREASING);
        System.out.println("trend 0.02 per layer, 5 layers, 5 seeds, 2,000 probes: increasing in " + hits + " of " + STUDIES);
        assertTrue(hits >= 0.8 * STUDIES, hits + " of " + STUDIES);
    }

    @Test
    void aPeakInTheMiddleIsNotMonotonic() {
        SplittableRandom r = Seeds.stream(8, "test-peak", 0);
        LayerOrder.Family f = LayerOrder.test(List.of(new LayerOrder.Input(0.05, study(r, new double[] {0.5, 0.6, 0.7, 0.6, 0.5}, 3))),
                REPLICATES, 1);
        assertEquals(LayerOrder.Order.NOT_MONOTONIC, f.strengths().get(0).order());
        assertEquals(10, f.tests());
    }

    @Test
    void handMadeCountsGiveTheExactPairedDifferences() {
        // three seeds, layers at 0.80/0.85/0.90, 0.81/0.86/0.91, 0.79/0.84/0.89 of 1,000 probes:
        // every seed's difference of layers 1 and 3 is exactly 0.10, of layers 1 and 2 0.05
        List<SeedBootstrap.Unit> units = List.of(
                new SeedBootstrap.Unit("a", new long[] {800, 850, 900}, new long[] {1000, 1000, 1000}),
                new SeedBootstrap.Unit("b", new long[] {810, 860, 910}, new long[] {1000, 1000, 1000}),
                new SeedBootstrap.Unit("c", new long[] {790, 840, 890}, new long[] {1000, 1000, 1000}));
        List<SeedBootstrap.Pair> pairs = SeedBootstrap.pairs(units, 2000, new SplittableRandom(3));
        assertEquals(3, pairs.size());
        assertEquals(0.05, pairs.get(0).difference(), 1e-12);
        assertEquals(0.10, pairs.get(1).difference(), 1e-12);
        assertEquals(0.05, pairs.get(2).difference(), 1e-12);
        // probe-level spread of one seed's difference: sqrt(0.8*0.2/1000 + 0.9*0.1/1000) = 0.0158; the mean of
        // 3 seeds: 0.0091, so the 95% interval of layers 1 vs 3 is about 0.10 +- 0.018
        assertEquals(0.10 - 1.96 * 0.0091, pairs.get(1).lo(), 0.006);
        assertEquals(0.10 + 1.96 * 0.0091, pairs.get(1).hi(), 0.006);
        assertEquals(1.0 / 2001 * 2, pairs.get(1).pValue(), 1e-12, "no replicate reaches 0");
    }

    @Test
    void noIntervalFromTwoSeedsAndNoVerdictFromTwoLayers() {
        SplittableRandom r = new SplittableRandom(4);
        assertThrows(IllegalArgumentException.class,
                () -> LayerOrder.test(List.of(new LayerOrder.Input(0.1, study(r, new double[] {0.8, 0.85, 0.9}, 2))), 100, 1));
        assertThrows(IllegalArgumentException.class,
                () -> LayerOrder.test(List.of(new LayerOrder.Input(0.1, study(r, new double[] {0.8, 0.9}, 5))), 100, 1));
    }
}
