package org.manifoldlab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.manifoldlab.core.stats.LayerOrder;
import org.manifoldlab.core.stats.MeanInterval;
import org.manifoldlab.core.stats.Monotonicity;
import org.manifoldlab.core.stats.Spearman;

/**
 * The study's three claims, tested on the members' layers: (1) clean accuracy rises with alpha;
 * (2) under Gaussian noise accuracy is monotonic in alpha at each sigma; (3) under FGSM it is not.
 * Verdicts come from the seed-level paired test ({@link SeedEvidence}, core's LayerOrder); the
 * rank correlations and tolerance-based order counts are kept beside them as description only.
 */
public final class Findings {

    public enum Verdict {
        SUPPORTED, CONTRADICTED, INCONCLUSIVE;

        public String word() {
            return name().toLowerCase();
        }
    }

    /** How the accuracies at one strength relate to alpha across the members. */
    enum State { MONOTONIC, WEAK, FLAT, MIXED, NON_MONOTONIC }

    /** One member's rank correlation (and, for attacks, its order test) at one strength. */
    record MemberOrder(String member, int n, double rho, Monotonicity.Result order, boolean nearlyMonotonic) {
    }

    /** Finding 1's numbers. */
    record Clean(List<MemberOrder> members, Spearman.Test pooled, double pooledPLess, MeanInterval rhoAcrossMembers) {
    }

    /** Findings 2 and 3: one attack strength. */
    record Strength(double strength, List<MemberOrder> members, double pooledRho, int pooledN, MeanInterval rhoAcrossMembers,
                    State state, int violations, int pairs) {
    }

    public record Finding(int number, String title, String criterion, Verdict verdict, String statement, Clean clean,
                   String attack, List<Strength> strengths, SeedEvidence.Evidence evidence) {

        boolean supported() {
            return verdict == Verdict.SUPPORTED;
        }
    }

    private Findings() {
    }

    static List<Finding> evaluate(List<Member> members, Criteria c) {
        return List.of(cleanAccuracy(members, c), gaussian(members, c), fgsm(members, c));
    }

    static Finding cleanAccuracy(List<Member> members, Criteria c) {
        String title = "Higher alpha goes with higher clean accuracy";
        List<MemberOrder> per = new ArrayList<>();
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (Member m : members) {
            List<double[]> pts = new ArrayList<>();
            for (Member.Layer l : m.layers()) {
                if (Double.isFinite(l.alpha()) && Double.isFinite(l.clean())) {
                    pts.add(new double[] {l.alpha(), l.clean()});
                    xs.add(l.alpha());
                    ys.add(l.clean());
                }
            }
            double[] x = pts.stream().mapToDouble(p -> p[0]).toArray();
            double[] y = pts.stream().mapToDouble(p -> p[1]).toArray();
            per.add(new MemberOrder(m.id(), x.length, x.length >= 2 ? Spearman.rho(x, y) : Double.NaN, null, false));
        }
        double[] x = xs.stream().mapToDouble(Double::doubleValue).toArray();
        double[] y = ys.stream().mapToDouble(Double::doubleValue).toArray();
        Spearman.Test greater = Spearman.test(x, y, Spearman.Alternative.GREATER);
        double pLess = Spearman.test(x, y, Spearman.Alternative.LESS).pValue();
        MeanInterval across = MeanInterval.of(per.stream().mapToDouble(MemberOrder::rho).toArray());
        Clean clean = new Clean(per, greater, pLess, across);
        boolean multi = across.n() >= 2;
        String points = members.size() > 1 ? x.length + " points (layers of " + members.size() + " members)"
                : x.length + (x.length == 1 ? " layer" : " layers");
        String numbers = String.format(Locale.ROOT, "Spearman rho = %s over %s (one-sided %s permutation p = %s for a positive, %s for a negative relation)",
                Criteria.fmt(greater.rho()), points, greater.exact() ? "exact" : "Monte Carlo",
                Criteria.fmt(greater.pValue()), Criteria.fmt(pLess));
        if (multi) {
            numbers += String.format(Locale.ROOT, "; per member rho mean %s, 95%% CI [%s, %s] over %d members", Criteria.fmt(across.mean()),
                    Criteria.fmt(across.lo()), Criteria.fmt(across.hi()), across.n());
        }
        SeedEvidence.Evidence evidence = SeedEvidence.clean(members);
        Verdict verdict;
        String why;
        if (evidence.unavailable() != null) {
            verdict = Verdict.INCONCLUSIVE;
            why = evidence.unavailable();
        } else {
            LayerOrder.Strength st = evidence.family().strengths().get(0);
            switch (st.order()) {
                case INCREASING -> {
                    verdict = Verdict.SUPPORTED;
                    why = "clean accuracy rises with alpha (" + counts(st) + ")";
                }
                case DECREASING -> {
                    verdict = Verdict.CONTRADICTED;
                    why = "clean accuracy falls as alpha rises (" + counts(st) + ")";
                }
                case NOT_MONOTONIC -> {
                    verdict = Verdict.CONTRADICTED;
                    why = "significant differences in both directions: accuracy does not rise with alpha (" + counts(st) + ")";
                }
                default -> {
                    verdict = Verdict.INCONCLUSIVE;
                    why = "no two layers differ significantly";
                }
            }
        }
        return new Finding(1, title, c.finding1(), verdict, capitalize(verdict.word()) + ": " + why + ". Descriptive: " + numbers + ".",
                clean, null, List.of(), evidence);
    }

    static Finding gaussian(List<Member> members, Criteria c) {
        return attack(2, "Under Gaussian noise, accuracy is monotonic in alpha at each sigma", c.finding2(), members, RunData.GAUSSIAN,
                "sigma", c, false);
    }

    static Finding fgsm(List<Member> members, Criteria c) {
        return attack(3, "Under FGSM, accuracy is not monotonic in alpha", c.finding3(), members, RunData.FGSM, "eps", c, true);
    }

    /**
     * Claims 2 and 3 by one rule: a significant reversal of the layers' order at some strength
     * makes accuracy "not monotonic"; no two layers differing anywhere is inconclusive.
     *
     * @param reversalSupports true when the claim is that accuracy is not monotonic
     */
    private static Finding attack(int number, String title, String criterion, List<Member> members, String attack, String symbol,
                                  Criteria c, boolean reversalSupports) {
        List<Strength> strengths = strengths(members, attack, c);
        SeedEvidence.Evidence evidence = SeedEvidence.attack(members, attack, measure(members, attack));
        Verdict verdict;
        String why;
        if (evidence.unavailable() != null) {
            verdict = Verdict.INCONCLUSIVE;
            why = evidence.unavailable();
        } else if (any(evidence, LayerOrder.Order.NOT_MONOTONIC)) {
            verdict = reversalSupports ? Verdict.SUPPORTED : Verdict.CONTRADICTED;
            why = "a significant reversal at " + symbol + " " + at(evidence, LayerOrder.Order.NOT_MONOTONIC);
        } else if (all(evidence, LayerOrder.Order.NO_DIFFERENCE)) {
            verdict = Verdict.INCONCLUSIVE;
            why = "no two layers differ significantly at any " + symbol;
        } else {
            verdict = reversalSupports ? Verdict.CONTRADICTED : Verdict.SUPPORTED;
            why = "no significant reversal at any " + symbol + "; " + orders(evidence, symbol);
        }
        return new Finding(number, title, criterion, verdict, (capitalize(verdict.word()) + ": " + why + ". "
                + descriptive(describe(strengths, symbol))).strip(), null, attack, strengths, evidence);
    }

    /** Every strength > 0 of one attack that some member measured, each with its members' order tests. */
    static List<Strength> strengths(List<Member> members, String attack, Criteria c) {
        Set<Double> all = new TreeSet<>();
        members.forEach(m -> m.layers().forEach(l -> all.addAll(l.attacked().getOrDefault(attack, new java.util.TreeMap<>()).keySet())));
        List<Strength> out = new ArrayList<>();
        for (double s : all) {
            if (!(s > 0)) {
                continue;  // strength 0 is the clean probe: finding 1's business
            }
            List<MemberOrder> per = new ArrayList<>();
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (Member m : members) {
                List<Member.Layer> ok = m.layers().stream()
                        .filter(l -> Double.isFinite(l.alpha()) && Double.isFinite(l.accuracy(attack, s))).toList();
                if (ok.size() < 2) {
                    continue;
                }
                double[] x = ok.stream().mapToDouble(Member.Layer::alpha).toArray();
                double[] y = ok.stream().mapToDouble(l -> l.accuracy(attack, s)).toArray();
                Monotonicity.Result order = Monotonicity.test(x, y, c.tolerance());
                per.add(new MemberOrder(m.id(), x.length, Spearman.rho(x, y), order, order.violations() <= c.allowedViolations(order.pairs())));
                for (int i = 0; i < x.length; i++) {
                    xs.add(x[i]);
                    ys.add(y[i]);
                }
            }
            if (per.isEmpty()) {
                continue;
            }
            double pooled = Spearman.rho(xs.stream().mapToDouble(Double::doubleValue).toArray(), ys.stream().mapToDouble(Double::doubleValue).toArray());
            MeanInterval across = MeanInterval.of(per.stream().mapToDouble(MemberOrder::rho).toArray());
            int violations = per.stream().mapToInt(p -> p.order().violations()).sum();
            int pairs = per.stream().mapToInt(p -> p.order().pairs()).sum();
            out.add(new Strength(s, per, pooled, xs.size(), across, state(per, across, c), violations, pairs));
        }
        return out;
    }

    private static State state(List<MemberOrder> per, MeanInterval across, Criteria c) {
        List<MemberOrder> moving = per.stream().filter(p -> p.order().direction() != Monotonicity.Direction.FLAT).toList();
        if (moving.isEmpty()) {
            return State.FLAT;
        }
        long violating = moving.stream().filter(p -> !p.nearlyMonotonic()).count();
        if (2 * violating > moving.size()) {
            return State.NON_MONOTONIC;
        }
        Set<Monotonicity.Direction> directions = moving.stream().map(p -> p.order().direction()).collect(Collectors.toSet());
        if (violating > 0 || directions.size() > 1 || directions.contains(Monotonicity.Direction.NONE)) {
            return State.MIXED;
        }
        return Math.abs(across.mean()) >= c.highRho() ? State.MONOTONIC : State.WEAK;
    }

    private static String describe(List<Strength> strengths, String symbol) {
        List<String> parts = new ArrayList<>();
        for (Strength s : strengths) {
            parts.add(String.format(Locale.ROOT, "%s %s: %s, %d order violation%s in %d pairs, mean rho %s", symbol, Criteria.fmt(s.strength()),
                    s.state().name().toLowerCase().replace('_', '-'), s.violations(), s.violations() == 1 ? "" : "s", s.pairs(),
                    Criteria.fmt(s.rhoAcrossMembers().mean())));
        }
        return parts.isEmpty() ? "" : String.join("; ", parts) + ".";
    }

    /** Plain accuracy for Gaussian noise, robust accuracy for gradient attacks (RunData.Robust#forClaims). */
    private static String measure(List<Member> members, String attack) {
        return RunData.GAUSSIAN.equals(attack) ? "accuracy on the noisy input (robust accuracy where a run has no plain accuracy)"
                : "robust accuracy (right on both the clean and the perturbed input)";
    }

    private static boolean any(SeedEvidence.Evidence e, LayerOrder.Order order) {
        return e.family().strengths().stream().anyMatch(s -> s.order() == order);
    }

    private static boolean all(SeedEvidence.Evidence e, LayerOrder.Order order) {
        return e.family().strengths().stream().allMatch(s -> s.order() == order);
    }

    private static String at(SeedEvidence.Evidence e, LayerOrder.Order order) {
        return e.family().strengths().stream().filter(s -> s.order() == order).map(s -> Criteria.fmt(s.strength()) + " (" + counts(s) + ")")
                .collect(Collectors.joining(", "));
    }

    private static String orders(SeedEvidence.Evidence e, String symbol) {
        return e.family().strengths().stream().map(s -> symbol + " " + Criteria.fmt(s.strength()) + " " + s.order().word())
                .collect(Collectors.joining(", "));
    }

    static String counts(LayerOrder.Strength s) {
        return String.format(Locale.ROOT, "%d significant increase%s and %d decrease%s with alpha in %d pairs, %d seeds, Holm over the claim",
                s.increases(), s.increases() == 1 ? "" : "s", s.decreases(), s.decreases() == 1 ? "" : "s", s.pairs().size(), s.seeds());
    }

    private static String descriptive(String text) {
        return text.isEmpty() ? "" : "Descriptive (per member, tolerance-based): " + text;
    }

    private static String list(List<Strength> strengths, Set<State> states) {
        return strengths.stream().filter(s -> states.contains(s.state())).map(s -> Criteria.fmt(s.strength()))
                .collect(Collectors.joining(", "));
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
