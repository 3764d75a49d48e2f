package org.manifoldlab.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The verdict rules of {@link Findings} on hand-made layers whose answers are worked out in the comments. */
class ReportFindingsTest {

    private static final Criteria C = Criteria.DEFAULTS;  // tolerance 0.01, few = 10% of pairs, high |rho| 0.7, sign 0.5, p 0.05
    private static final double[] A5 = {1.0, 1.1, 1.2, 1.3, 1.4};
    private static final double[] A3 = {1.0, 1.1, 1.2};

    @Test
    void cleanAccuracyRisingWithAlphaOverFiveLayersIsSupportedAtRhoPointNine() {
        // ranks of accuracy 1 2 3 5 4: rho = 0.9, exact one-sided p = 5/120 = 0.042 <= 0.05
        Findings.Finding f = Findings.cleanAccuracy(List.of(member("a", A5, new double[] {.80, .82, .84, .88, .86}, Map.of())), C);
        assertEquals(0.9, f.clean().pooled().rho(), 1e-12);
        assertEquals(5.0 / 120, f.clean().pooled().pValue(), 1e-12);
        assertEquals(Findings.Verdict.SUPPORTED, f.verdict());
        assertTrue(f.supported());
    }

    @Test
    void rhoPointEightOverFiveLayersIsNotSignificantSoInconclusive() {
        // ranks 2 1 3 5 4 (two adjacent swaps): sum d^2 = 4, rho = 0.8, p = 8/120 = 0.067 > 0.05
        Findings.Finding f = Findings.cleanAccuracy(List.of(member("a", A5, new double[] {.82, .80, .84, .88, .86}, Map.of())), C);
        assertEquals(0.8, f.clean().pooled().rho(), 1e-12);
        assertEquals(8.0 / 120, f.clean().pooled().pValue(), 1e-12);
        assertEquals(Findings.Verdict.INCONCLUSIVE, f.verdict());
        assertFalse(f.supported());
    }

    @Test
    void cleanAccuracyFallingWithAlphaContradictsFindingOne() {
        Findings.Finding f = Findings.cleanAccuracy(List.of(member("a", A5, new double[] {.9, .8, .7, .6, .5}, Map.of())), C);
        assertEquals(-1.0, f.clean().pooled().rho(), 1e-12);
        assertEquals(1.0 / 120, f.clean().pooledPLess(), 1e-12);
        assertEquals(Findings.Verdict.CONTRADICTED, f.verdict());
    }

    @Test
    void membersWhoseOwnRhoDisagreeInSignLeaveFindingOneInconclusive() {
        // pooled over 10 points the order is mostly rising (member b sits higher in alpha and accuracy),
        // but a's rho is +1 and b's is -1: their 95% interval spans 0
        Member a = member("a", A5, new double[] {.50, .52, .54, .56, .58}, Map.of());
        Member b = member("b", new double[] {2.0, 2.1, 2.2, 2.3, 2.4}, new double[] {.98, .96, .94, .92, .90}, Map.of());
        Findings.Finding f = Findings.cleanAccuracy(List.of(a, b), C);
        assertTrue(f.clean().pooled().rho() > 0.5);
        assertTrue(f.clean().pooled().pValue() <= 0.05);
        assertEquals(0.0, f.clean().rhoAcrossMembers().mean(), 1e-12);
        assertEquals(Findings.Verdict.INCONCLUSIVE, f.verdict());
    }

    @Test
    void gaussianMonotonicAtEverySigmaSupportsFindingTwo() {
        Member m = member("a", A5, new double[] {.8, .82, .84, .86, .88}, Map.of(RunData.GAUSSIAN, Map.of(
                0.0, new double[] {.8, .82, .84, .86, .88}, 0.1, new double[] {.6, .65, .7, .72, .8}, 0.5, new double[] {.2, .25, .3, .32, .4})));
        Findings.Finding f = Findings.gaussian(List.of(m), C);
        assertEquals(2, f.strengths().size());  // sigma 0 is the clean case, not a perturbation
        assertTrue(f.strengths().stream().allMatch(s -> s.state() == Findings.State.MONOTONIC && s.violations() == 0));
        assertEquals(Findings.Verdict.SUPPORTED, f.verdict());
    }

    @Test
    void oneReversalBeyondTheToleranceInAThreeLayerMemberContradictsFindingTwo() {
        // member b at sigma 0.1: .60 .70 .65 -> the pair (layer 2, layer 3) drops by 0.05 > 0.01: 1 violation of 3 pairs,
        // and floor(0.1 x 3) = 0 are allowed. One of two members violates: not a majority, so "mixed".
        Member a = member("a", A3, new double[] {.8, .85, .9}, Map.of(RunData.GAUSSIAN, Map.of(0.1, new double[] {.6, .7, .8})));
        Member b = member("b", A3, new double[] {.8, .85, .9}, Map.of(RunData.GAUSSIAN, Map.of(0.1, new double[] {.6, .7, .65})));
        Findings.Finding f = Findings.gaussian(List.of(a, b), C);
        Findings.Strength s = f.strengths().get(0);
        assertEquals(1, s.violations());
        assertEquals(6, s.pairs());
        assertEquals(Findings.State.MIXED, s.state());
        assertEquals(Findings.Verdict.CONTRADICTED, f.verdict());
    }

    @Test
    void oneViolationInTenPairsIsStillNearlyMonotonic() {
        // 5 layers: floor(0.1 x 10) = 1 violation allowed. .60 .66 .64 .70 .80: only (2,3) drops by 0.02.
        // ranks 1 3 2 4 5: rho = 1 - 6*2/120 = 0.9 >= 0.7.
        Member m = member("a", A5, new double[] {.8, .82, .84, .86, .88}, Map.of(RunData.GAUSSIAN, Map.of(0.2, new double[] {.60, .66, .64, .70, .80})));
        Findings.Strength s = Findings.gaussian(List.of(m), C).strengths().get(0);
        assertEquals(1, s.violations());
        assertTrue(s.members().get(0).nearlyMonotonic());
        assertEquals(Findings.State.MONOTONIC, s.state());
    }

    @Test
    void monotonicOnlyWithinTheToleranceAndWeaklyRankedIsInconclusive() {
        // .505 .509 .500 .508 .520: no drop beyond 0.01, four rises beyond it -> increasing, 0 violations;
        // ranks 2 4 1 3 5, sum d^2 = 10, rho = 1 - 60/120 = 0.5 < 0.7
        Member m = member("a", A5, new double[] {.8, .82, .84, .86, .88}, Map.of(RunData.GAUSSIAN, Map.of(0.3, new double[] {.505, .509, .500, .508, .520})));
        Findings.Finding f = Findings.gaussian(List.of(m), C);
        assertEquals(0.5, f.strengths().get(0).rhoAcrossMembers().mean(), 1e-12);
        assertEquals(Findings.State.WEAK, f.strengths().get(0).state());
        assertEquals(Findings.Verdict.INCONCLUSIVE, f.verdict());
    }

    @Test
    void accuraciesEqualWithinTheToleranceAtEverySigmaSayNothing() {
        Member m = member("a", A3, new double[] {.8, .85, .9}, Map.of(RunData.GAUSSIAN, Map.of(1.0, new double[] {.100, .104, .098})));
        Findings.Finding f = Findings.gaussian(List.of(m), C);
        assertEquals(Findings.State.FLAT, f.strengths().get(0).state());
        assertEquals(Findings.Verdict.INCONCLUSIVE, f.verdict());
        assertEquals(Findings.Verdict.INCONCLUSIVE, Findings.gaussian(List.of(member("b", A3, new double[] {.8, .85, .9}, Map.of())), C).verdict());
    }

    @Test
    void fgsmPeakInTheMiddleSupportsFindingThree() {
        // .3 .5 .7 .4 .35: drops (3,4) (3,5) (2,4) .1 (2,5) .15 (4,5) .05 = 5; rises (1,2) (1,3) (1,4) (1,5) (2,3) = 5 -> 5 > 1 allowed
        Member m = member("a", A5, new double[] {.8, .82, .84, .86, .88}, Map.of(RunData.FGSM, Map.of(0.1, new double[] {.3, .5, .7, .4, .35})));
        Findings.Finding f = Findings.fgsm(List.of(m), C);
        assertEquals(5, f.strengths().get(0).violations());
        assertEquals(Findings.State.NON_MONOTONIC, f.strengths().get(0).state());
        assertEquals(Findings.Verdict.SUPPORTED, f.verdict());
    }

    @Test
    void fgsmOrderReversingBetweenEpsilonsSupportsFindingThree() {
        // each eps on its own is monotonic, but rho is +1 at eps 0.02 and -1 at eps 0.2
        Member m = member("a", A3, new double[] {.8, .85, .9}, Map.of(RunData.FGSM, Map.of(
                0.02, new double[] {.5, .6, .7}, 0.2, new double[] {.3, .2, .1})));
        Findings.Finding f = Findings.fgsm(List.of(m), C);
        assertTrue(f.strengths().stream().allMatch(s -> s.violations() == 0));
        assertEquals(Findings.Verdict.SUPPORTED, f.verdict());
        assertTrue(f.statement().contains("sign of rho changes"), f.statement());
    }

    @Test
    void fgsmMonotonicWithOneSignContradictsFindingThree() {
        Member m = member("a", A3, new double[] {.8, .85, .9}, Map.of(RunData.FGSM, Map.of(
                0.02, new double[] {.5, .6, .7}, 0.2, new double[] {.1, .2, .3})));
        assertEquals(Findings.Verdict.CONTRADICTED, Findings.fgsm(List.of(m), C).verdict());
    }

    /** A member whose layer i has alpha[i], clean[i] and, per attack and strength, accuracy[i]. */
    private static Member member(String id, double[] alpha, double[] clean, Map<String, Map<Double, double[]>> attacks) {
        List<Member.Layer> layers = new ArrayList<>();
        for (int i = 0; i < alpha.length; i++) {
            Map<String, NavigableMap<Double, Double>> attacked = new TreeMap<>();
            for (var attack : attacks.entrySet()) {
                NavigableMap<Double, Double> byStrength = new TreeMap<>();
                for (var s : attack.getValue().entrySet()) {
                    byStrength.put(s.getKey(), s.getValue()[i]);
                }
                attacked.put(attack.getKey(), byStrength);
            }
            layers.add(new Member.Layer(i + 1, alpha[i], clean[i], attacked));
        }
        return new Member(id, 1, "", 1, Member.CLEAN_FROM_TEST_SPLIT, layers);
    }
}
