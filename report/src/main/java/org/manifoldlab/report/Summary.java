package org.manifoldlab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.manifoldlab.core.stats.MeanInterval;

/**
 * summary.json as nested maps: findings with verdicts, numbers and criteria; every member's
 * per-layer measurements; the figures. Non-finite numbers become null, so any JSON reader copes.
 */
final class Summary {

    static final String MONOTONIC = "At one attack strength, a member's accuracies ordered by alpha are monotonic when they never "
            + "decrease (or never increase) by more than the tolerance: for every pair of layers with alpha_i < alpha_j, "
            + "acc_j >= acc_i - tolerance (or acc_j <= acc_i + tolerance for every pair).";
    static final String VIOLATION = "An order violation is a pair of layers with alpha_i < alpha_j whose accuracies reverse the "
            + "member's better-fitting order by more than the tolerance; the count is the smaller of the violations of the increasing "
            + "and of the decreasing order. Pairs tied in alpha are not compared.";
    static final String SPEARMAN = "Spearman rho: Pearson correlation of average ranks (ties share the mean of their ranks).";
    static final String INTERVAL = "Across members (seeds or sweep settings): mean of the members' own rho and its two-sided 95% "
            + "t-interval, mean +- t(0.975, n-1) sd / sqrt(n).";

    private Summary() {
    }

    static Map<String, Object> build(String kind, String source, List<RunData> runs, List<Member> members, Criteria criteria,
                                     List<Findings.Finding> findings, List<Figure> figures, List<Map<String, Object>> memberReports) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("kind", kind);
        root.put("source", source);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("tolerance", num(criteria.tolerance()));
        c.put("fewViolations", num(criteria.fewViolations()));
        c.put("highRho", num(criteria.highRho()));
        c.put("signRho", num(criteria.signRho()));
        c.put("significance", num(criteria.significance()));
        c.put("monotonic", MONOTONIC);
        c.put("orderViolation", VIOLATION);
        c.put("spearman", SPEARMAN);
        c.put("interval", INTERVAL);
        root.put("criteria", c);
        List<Object> fs = new ArrayList<>();
        for (Findings.Finding f : findings) {
            fs.add(finding(f, criteria));
        }
        root.put("findings", fs);
        List<Object> ms = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            ms.add(member(runs.get(i), members.get(i)));
        }
        root.put("members", ms);
        if (members.size() > 1) {
            root.put("groups", groups(members));
        }
        List<Object> figs = new ArrayList<>();
        for (Figure f : figures) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("section", f.section());
            m.put("title", f.title());
            m.put("png", f.png());
            m.put("svg", f.svg());
            m.put("caption", f.caption());
            figs.add(m);
        }
        root.put("figures", figs);
        if (!memberReports.isEmpty()) {
            root.put("memberReports", memberReports);
        }
        return root;
    }

    /** The seed-level tests of a finding (or why there are none). */
    static Map<String, Object> evidence(SeedEvidence.Evidence e) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (e == null) {
            return m;
        }
        m.put("measure", e.measure());
        m.put("seeds", e.seeds());
        m.put("layersByAlpha", e.layersByAlpha());
        m.put("unavailable", e.unavailable());
        if (e.family() != null) {
            m.put("tests", e.family().tests());
            m.put("familyAlpha", e.family().alpha());
            m.put("replicates", e.family().replicates());
            m.put("bootstrapSeed", e.family().seed());
            List<Object> strengths = new ArrayList<>();
            for (var st : e.family().strengths()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("strength", num(st.strength()));
                x.put("order", st.order().word());
                List<Object> pairs = new ArrayList<>();
                for (var t : st.pairs()) {
                    Map<String, Object> y = new LinkedHashMap<>();
                    y.put("lowerAlphaLayer", e.layersByAlpha().get(t.pair().lower()));
                    y.put("higherAlphaLayer", e.layersByAlpha().get(t.pair().upper()));
                    y.put("difference", num(t.pair().difference()));
                    y.put("lo", num(t.pair().lo()));
                    y.put("hi", num(t.pair().hi()));
                    y.put("p", num(t.pair().pValue()));
                    y.put("holmP", num(t.adjustedP()));
                    y.put("significant", t.significant());
                    pairs.add(y);
                }
                x.put("pairs", pairs);
                strengths.add(x);
            }
            m.put("strengths", strengths);
        }
        return m;
    }

    static Map<String, Object> finding(Findings.Finding f, Criteria criteria) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("number", f.number());
        m.put("title", f.title());
        m.put("supported", f.supported());
        m.put("verdict", f.verdict().word());
        m.put("statement", f.statement());
        m.put("criterion", f.criterion());
        m.put("evidence", evidence(f.evidence()));
        if (f.clean() != null) {
            Map<String, Object> pooled = new LinkedHashMap<>();
            pooled.put("rho", num(f.clean().pooled().rho()));
            pooled.put("n", f.clean().pooled().n());
            pooled.put("pPositive", num(f.clean().pooled().pValue()));
            pooled.put("pNegative", num(f.clean().pooledPLess()));
            pooled.put("exact", f.clean().pooled().exact());
            m.put("pooled", pooled);
            m.put("rhoAcrossMembers", interval(f.clean().rhoAcrossMembers()));
            List<Object> per = new ArrayList<>();
            for (Findings.MemberOrder o : f.clean().members()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("member", o.member());
                x.put("n", o.n());
                x.put("rho", num(o.rho()));
                per.add(x);
            }
            m.put("members", per);
        }
        if (f.attack() != null) {
            m.put("attack", f.attack());
            List<Object> ss = new ArrayList<>();
            for (Findings.Strength s : f.strengths()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("strength", num(s.strength()));
                x.put("state", s.state().name().toLowerCase().replace('_', '-'));
                x.put("violations", s.violations());
                x.put("pairs", s.pairs());
                x.put("pooledRho", num(s.pooledRho()));
                x.put("pooledN", s.pooledN());
                x.put("rhoAcrossMembers", interval(s.rhoAcrossMembers()));
                List<Object> per = new ArrayList<>();
                for (Findings.MemberOrder o : s.members()) {
                    Map<String, Object> y = new LinkedHashMap<>();
                    y.put("member", o.member());
                    y.put("n", o.n());
                    y.put("rho", num(o.rho()));
                    y.put("direction", o.order().direction().name().toLowerCase());
                    y.put("violations", o.order().violations());
                    y.put("increasingViolations", o.order().increasingViolations());
                    y.put("decreasingViolations", o.order().decreasingViolations());
                    y.put("pairs", o.order().pairs());
                    y.put("allowedViolations", criteria.allowedViolations(o.order().pairs()));
                    y.put("monotonic", o.order().monotonic());
                    y.put("nearlyMonotonic", o.nearlyMonotonic());
                    per.add(y);
                }
                x.put("members", per);
                ss.add(x);
            }
            m.put("strengths", ss);
        }
        return m;
    }

    static Map<String, Object> member(RunData run, Member member) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", member.id());
        m.put("seed", member.seed());
        m.put("label", member.label());
        m.put("status", run.status);
        m.put("epoch", member.epoch());
        m.put("cleanAccuracySource", member.cleanSource());
        List<Object> layers = new ArrayList<>();
        for (Member.Layer l : member.layers()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("layer", l.layer());
            RunData.Fit fit = member.epoch() == null ? null : run.fits.getOrDefault(member.epoch(), new TreeMap<>()).get(l.layer());
            x.put("alpha", num(l.alpha()));
            if (fit != null) {
                x.put("r2", num(fit.r2()));
                x.put("fitLo", num(fit.fitLo()));
                x.put("fitHi", num(fit.fitHi()));
                x.put("participationRatio", num(fit.participationRatio()));
                x.put("n90", num(fit.n90()));
                x.put("n95", num(fit.n95()));
                x.put("smoothnessMargin", num(fit.smoothnessMargin()));
                RunData.Extra e = fit.extra();
                x.put("alphaInterval", java.util.Arrays.asList(num(e.alphaLo()), num(e.alphaHi())));
                x.put("rank", num(e.rank()));
                x.put("deadUnits", num(e.deadUnits()));
                x.put("manifoldDim", num(e.manifoldDim()));
                x.put("manifoldDimSource", e.dimSource());
                x.put("marginInterval", java.util.Arrays.asList(num(e.marginLo()), num(e.marginHi())));
                x.put("layerDTwoNn", num(e.layerD()));
                x.put("poorFit", fit.poorFit());
            }
            x.put("cleanAccuracy", num(l.clean()));
            x.put("linearProbeAccuracy", num(run.probeAccuracy(l.layer())));
            Map<String, Object> attacks = new LinkedHashMap<>();
            l.attacked().forEach((attack, byStrength) -> {
                Map<String, Object> a = new LinkedHashMap<>();
                byStrength.forEach((s, acc) -> a.put(Criteria.fmt(s), num(acc)));
                attacks.put(attack, a);
            });
            x.put("accuracy", attacks);
            layers.add(x);
        }
        m.put("layers", layers);
        m.put("epochs", epochs(run));
        return m;
    }

    /**
     * Every analysed epoch of a run: each layer's alpha (with its interval where computed),
     * participation ratio, smoothness margin, test and validation accuracy, and the accuracy the
     * claims use under each attack at each strength: the training-time axis, and the curves.
     */
    static List<Object> epochs(RunData run) {
        java.util.TreeSet<Integer> all = new java.util.TreeSet<>(run.fits.keySet());
        all.addAll(run.robustness.keySet());
        List<Object> out = new ArrayList<>();
        for (int epoch : all) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("epoch", epoch);
            List<Object> layers = new ArrayList<>();
            for (int layer : run.layers()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("layer", layer);
                RunData.Fit fit = run.fits.getOrDefault(epoch, new TreeMap<>()).get(layer);
                if (fit != null) {
                    x.put("alpha", num(fit.alpha()));
                    x.put("alphaInterval", java.util.Arrays.asList(num(fit.extra().alphaLo()), num(fit.extra().alphaHi())));
                    x.put("participationRatio", num(fit.participationRatio()));
                    x.put("smoothnessMargin", num(fit.smoothnessMargin()));
                }
                for (String split : List.of("test", "validation")) {
                    Double a = run.accuracy.getOrDefault(split, new TreeMap<>()).getOrDefault(epoch, new TreeMap<>()).get(layer);
                    if (a != null) {
                        x.put(split + "Accuracy", num(a));
                    }
                }
                Map<String, Object> attacks = new LinkedHashMap<>();
                for (String attack : run.attacks(epoch)) {
                    Map<String, Object> a = new LinkedHashMap<>();
                    run.attackAccuracy(epoch, attack).getOrDefault(layer, new TreeMap<>()).forEach((st, acc) -> a.put(Criteria.fmt(st), num(acc)));
                    attacks.put(attack, a);
                }
                if (!attacks.isEmpty()) {
                    x.put("accuracy", attacks);
                }
                layers.add(x);
            }
            e.put("layers", layers);
            out.add(e);
        }
        return out;
    }

    /** Members with the same label (same settings, other seeds): per layer, mean and 95% interval of alpha and clean accuracy. */
    static List<Object> groups(List<Member> members) {
        Map<String, List<Member>> byLabel = new TreeMap<>();
        members.forEach(m -> byLabel.computeIfAbsent(m.label(), k -> new ArrayList<>()).add(m));
        List<Object> out = new ArrayList<>();
        byLabel.forEach((label, group) -> {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("label", label);
            g.put("members", group.stream().map(Member::id).toList());
            g.put("seeds", group.stream().map(Member::seed).toList());
            List<Object> layers = new ArrayList<>();
            for (Map.Entry<Integer, MeanInterval[]> e : layerIntervals(group).entrySet()) {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("layer", e.getKey());
                l.put("alpha", interval(e.getValue()[0]));
                l.put("cleanAccuracy", interval(e.getValue()[1]));
                layers.add(l);
            }
            g.put("layers", layers);
            out.add(g);
        });
        return out;
    }

    /** layer -> [alpha interval, clean accuracy interval] across the members of a group. */
    static Map<Integer, MeanInterval[]> layerIntervals(List<Member> group) {
        Map<Integer, List<double[]>> values = new TreeMap<>();
        group.forEach(m -> m.layers().forEach(l -> values.computeIfAbsent(l.layer(), k -> new ArrayList<>()).add(new double[] {l.alpha(), l.clean()})));
        Map<Integer, MeanInterval[]> out = new TreeMap<>();
        values.forEach((layer, v) -> out.put(layer, new MeanInterval[] {
            MeanInterval.of(v.stream().mapToDouble(a -> a[0]).toArray()), MeanInterval.of(v.stream().mapToDouble(a -> a[1]).toArray())}));
        return out;
    }

    static Map<String, Object> interval(MeanInterval i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", i.n());
        m.put("mean", num(i.mean()));
        m.put("sd", num(i.sd()));
        boolean enough = i.n() >= org.manifoldlab.core.stats.SeedBootstrap.MIN_UNITS;  // no interval from fewer than 3 seeds
        m.put("lo", enough ? num(i.lo()) : null);
        m.put("hi", enough ? num(i.hi()) : null);
        m.put("level", num(i.level()));
        return m;
    }

    static Double num(double d) {
        return Double.isFinite(d) ? d : null;
    }
}
