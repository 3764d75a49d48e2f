package org.manifoldlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.manifoldlab.core.stats.LayerOrder;

/**
 * The verdict rules of {@link Findings} with the seed as the unit, on hand-made layers measured
 * on 2,000 probes. A step of 0.05 between layers is about 5 binomial standard errors of a
 * difference (sqrt(2 x 0.2 x 0.8 / 2000) = 0.013 per seed), far beyond any Holm threshold; a
 * step of 0.001 is 2 probes, far inside it.
 */
class ReportFindingsTest {

    private static final Criteria C = Criteria.DEFAULTS;
    private static final double[] A5 = {1.0, 1.1, 1.2, 1.3, 1.4};
    private static final double[] A3 = {1.0, 1.1, 1.2};
    private static final double PROBES = 2000;

    /** Three seeds with the same layer pattern, each shifted by a small seed effect. */
    private static List<Member> seeds(double[] alpha, double[] clean, Map<String, Map<Double, double[]>> attacks) {
        List<Member> out = new ArrayList<>();
        double[] shift = {0.0, 0.005, -0.005};
        for (int s = 0; s < 3; s++) {
            out.add(member("seed" + (s + 1), s + 1, alpha, shifted(clean, shift[s]), shiftedAll(attacks, shift[s])));
        }
        return out;
    }

    @Test
    void cleanAccuracyRisingWithAlphaAcrossThreeSeedsIsSupported() {
        Findings.Finding f = Findings.cleanAccuracy(seeds(A5, new double[] {.70, .75, .80, .85, .90}, Map.of()), C);
        assertEquals(Findings.Verdict.SUPPORTED, f.verdict(), f.statement());
        assertTrue(f.supported());
        LayerOrder.Strength st = f.evidence().family().strengths().get(0);
        assertEquals(LayerOrder.Order.INCREASING, st.order());
        assertEquals(10, st.increases(), "every pair of 5 layers differs");
        assertEquals(List.of(1, 2, 3, 4, 5), f.evidence().layersByAlpha());
        assertEquals(0.20, st.pairs().get(3).pair().difference(), 1e-9, "layer 5 - layer 1, mean over the seeds");
        assertEquals(1.0, f.clean().rhoAcrossMembers().mean(), 1e-12, "each member's rank correlation stays as description");
    }

    @Test
    void cleanAccuracyFallingWithAlphaContradictsFindingOne() {
        Findings.Finding f = Findings.cleanAccuracy(seeds(A5, new double[] {.9, .85, .8, .75, .7}, Map.of()), C);
        assertEquals(Findings.Verdict.CONTRADICTED, f.verdict(), f.statement());
        assertEquals(LayerOrder.Order.DECREASING, f.evidence().family().strengths().get(0).order());
    }

    @Test
    void oneSeedGivesNoIntervalAndNoVerdictHoweverCleanTheOrder() {
        Member one = member("a", 1, A5, new double[] {.5, .6, .7, .8, .9}, Map.of());
        Findings.Finding f = Findings.cleanAccuracy(List.of(one), C);
        assertEquals(Findings.Verdict.INCONCLUSIVE, f.verdict());
        assertNull(f.evidence().family());
        assertTrue(f.statement().contains("no interval is drawn from fewer than 3"), f.statement());
    }

    @Test
    void membersOfOneSeedCountAsOneUnit() {
        // three readout scales of one seed are one network's worth of independence, not three
        List<Member> scales = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            scales.add(member("scale" + k, 1, A5, new double[] {.5, .6, .7, .8, .9}, Map.of()));
        }
        Findings.Finding f = Findings.cleanAccuracy(scales, C);
        assertEquals(1, f.evidence().seeds());
        assertEquals(Findings.Verdict.INCONCLUSIVE, f.verdict());
    }

    @Test
    void noVerdictFromTwoLayers() {
        Findings.Finding f = Findings.gaussian(seeds(new double[] {1.0, 1.2}, new double[] {.8, .9},
                Map.of(RunData.GAUSSIAN, Map.of(0.1, new double[] {.6, .8}))), C);
        assertEquals(Findings.Verdict.INCONCLUSIVE, f.verdict());
        assertTrue(f.statement().contains("no verdict from fewer than 3 layers"), f.statement());
    }

    @Test
    void gaussianMonotonicAtEverySigmaSupportsFindingTwo() {
        Findings.Finding f = Findings.gaussian(seeds(A3, new double[] {.8, .85, .9}, Map.of(RunData.GAUSSIAN, Map.of(
                0.0, new double[] {.8, .85, .9}, 0.1, new double[] {.7, .75, .8}, 0.3, new double[] {.5, .55, .6}))), C);
        assertEquals(Findings.Verdict.SUPPORTED, f.verdict(), f.statement());
        assertEquals(2, f.evidence().family().strengths().size(), "sigma 0 is the clean probe, not part of claim 2");
        assertEquals(6, f.evidence().family().tests(), "Holm over 3 pairs at each of 2 sigmas");
    }

    @Test
    void aSignificantReversalAtOneSigmaContradictsFindingTwo() {
        Findings.Finding f = Findings.gaussian(seeds(A3, new double[] {.8, .85, .9}, Map.of(RunData.GAUSSIAN, Map.of(
                0.1, new double[] {.7, .75, .8}, 0.3, new double[] {.5, .65, .55}))), C);
        assertEquals(Findings.Verdict.CONTRADICTED, f.verdict(), f.statement());
        assertEquals(LayerOrder.Order.NOT_MONOTONIC, f.evidence().family().strengths().get(1).order());
    }

    @Test
    void differencesOfTwoProbesAreNoDifferenceSoFindingTwoIsInconclusive() {
        // a "reversal" of 0.001 that the old tolerance rule would have counted with a smaller tolerance
        Findings.Finding f = Findings.gaussian(seeds(A3, new double[] {.8, .8, .8}, Map.of(RunData.GAUSSIAN, Map.of(
                0.1, new double[] {.700, .701, .700}))), C);
        assertEquals(Findings.Verdict.INCONCLUSIVE, f.verdict(), f.statement());
        assertEquals(LayerOrder.Order.NO_DIFFERENCE, f.evidence().family().strengths().get(0).order());
        assertFalse(f.supported());
    }

    @Test
    void fgsmPeakInTheMiddleSupportsFindingThree() {
        Findings.Finding f = Findings.fgsm(seeds(A5, new double[] {.9, .9, .9, .9, .9}, Map.of(RunData.FGSM, Map.of(
                0.05, new double[] {.2, .4, .6, .4, .2}))), C);
        assertEquals(Findings.Verdict.SUPPORTED, f.verdict(), f.statement());
    }

    @Test
    void fgsmMonotonicWithoutAReversalContradictsFindingThree() {
        Findings.Finding f = Findings.fgsm(seeds(A3, new double[] {.8, .85, .9}, Map.of(RunData.FGSM, Map.of(
                0.02, new double[] {.5, .6, .7}, 0.2, new double[] {.1, .2, .3}))), C);
        assertEquals(Findings.Verdict.CONTRADICTED, f.verdict(), f.statement());
    }

    private static double[] shifted(double[] values, double shift) {
        double[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += shift;
        }
        return out;
    }

    private static Map<String, Map<Double, double[]>> shiftedAll(Map<String, Map<Double, double[]>> attacks, double shift) {
        Map<String, Map<Double, double[]>> out = new TreeMap<>();
        attacks.forEach((a, byStrength) -> {
            Map<Double, double[]> m = new TreeMap<>();
            byStrength.forEach((s, v) -> m.put(s, shifted(v, shift)));
            out.put(a, m);
        });
        return out;
    }

    /** A member whose layer i has alpha[i], clean[i] and, per attack and strength, accuracy[i], all on 2,000 probes. */
    private static Member member(String id, long seed, double[] alpha, double[] clean, Map<String, Map<Double, double[]>> attacks) {
        List<Member.Layer> layers = new ArrayList<>();
        for (int i = 0; i < alpha.length; i++) {
            Map<String, NavigableMap<Double, Double>> attacked = new TreeMap<>();
            Map<String, NavigableMap<Double, Double>> samples = new TreeMap<>();
            for (var attack : attacks.entrySet()) {
                NavigableMap<Double, Double> byStrength = new TreeMap<>();
                NavigableMap<Double, Double> n = new TreeMap<>();
                for (var s : attack.getValue().entrySet()) {
                    byStrength.put(s.getKey(), s.getValue()[i]);
                    n.put(s.getKey(), PROBES);
                }
                attacked.put(attack.getKey(), byStrength);
                samples.put(attack.getKey(), n);
            }
            layers.add(new Member.Layer(i + 1, alpha[i], clean[i], PROBES, attacked, samples));
        }
        return new Member(id, seed, "", 1, Member.CLEAN_FROM_TEST_SPLIT, layers);
    }
}
