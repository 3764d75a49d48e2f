package org.manifoldlab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.manifoldlab.core.stats.MeanInterval;

/** index.html: the verdicts with their numbers, the per-layer tables, every figure (PNG, linking its SVG). Self-contained. */
final class HtmlPage {

    /** A link to a member's own report, relative to the page. */
    record Link(String href, String text, String note) {
    }

    private final StringBuilder html = new StringBuilder();

    private HtmlPage() {
    }

    static String render(String title, String subtitle, List<RunData> runs, List<Member> members, Criteria criteria,
                         List<Findings.Finding> findings, List<Figure> figures, List<Link> memberLinks, List<String> notes) {
        HtmlPage p = new HtmlPage();
        p.head(title);
        p.raw("<h1>").text(title).raw("</h1>\n<p class=\"sub\">").text(subtitle).raw("</p>\n");
        if (!notes.isEmpty()) {
            p.raw("<ul class=\"notes\">");
            notes.forEach(n -> p.raw("<li>").text(n).raw("</li>"));
            p.raw("</ul>\n");
        }
        p.findings(findings, criteria);
        if (members.size() == 1) {
            p.layerTable(runs.get(0), members.get(0));
        } else if (members.size() > 1) {
            p.groupTable(members);
        }
        if (!memberLinks.isEmpty()) {
            p.raw("<h2>Members</h2>\n<table><tr><th>report</th><th>seed and settings</th></tr>\n");
            memberLinks.forEach(l -> p.raw("<tr><td><a href=\"").text(l.href()).raw("\">").text(l.text()).raw("</a></td><td class=\"t\">")
                    .text(l.note()).raw("</td></tr>\n"));
            p.raw("</table>\n");
        }
        p.figures(figures);
        p.definitions(criteria);
        p.raw("</body>\n</html>\n");
        return p.html.toString();
    }

    private void head(String title) {
        raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").text(title).raw("</title>\n<style>\n"
                + "body{font-family:system-ui,-apple-system,'DejaVu Sans',sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222}\n"
                + "h1{margin-bottom:0}.sub{color:#666;margin-top:.3em}\n"
                + "table{border-collapse:collapse;margin:.8em 0;font-size:.9em}td,th{border:1px solid #ddd;padding:.25em .6em;text-align:right}"
                + "th{background:#f4f4f4}td:first-child,th:first-child,td.t{text-align:left}\n"
                + ".finding{border:1px solid #ddd;border-left:6px solid #999;padding:.6em 1em;margin:1em 0;border-radius:4px}\n"
                + ".supported{border-left-color:#2e7d32}.contradicted{border-left-color:#c62828}.inconclusive{border-left-color:#f9a825}\n"
                + ".verdict{font-weight:bold;text-transform:uppercase;font-size:.85em;padding:.1em .5em;border-radius:3px;color:#fff}\n"
                + ".supported .verdict{background:#2e7d32}.contradicted .verdict{background:#c62828}.inconclusive .verdict{background:#f9a825;color:#222}\n"
                + ".criterion{color:#555;font-size:.85em}.warn{color:#b35900;font-size:.85em;white-space:nowrap}\n"
                + ".grid{display:flex;flex-wrap:wrap;gap:1em}figure{margin:0;width:560px}figure img{width:100%;border:1px solid #eee}"
                + "figcaption{font-size:.85em;color:#444}\n.notes{color:#8a6d00}\n</style>\n</head>\n<body>\n");
    }

    private void findings(List<Findings.Finding> findings, Criteria criteria) {
        raw("<h2>Findings</h2>\n");
        for (Findings.Finding f : findings) {
            raw("<div class=\"finding ").text(f.verdict().word()).raw("\">\n<h3>").text(f.number() + ". " + f.title()).raw("</h3>\n");
            raw("<p class=\"criterion\"><b>Rule.</b> ").text(f.criterion()).raw("</p>\n");
            raw("<p><span class=\"verdict\">").text(f.verdict().word()).raw("</span> ").text(f.statement()).raw("</p>\n");
            evidence(f);
            if (f.clean() != null && f.clean().members().size() > 1) {
                raw("<table><tr><th>member</th><th>layers</th><th>Spearman rho</th></tr>\n");
                f.clean().members().forEach(m -> raw("<tr><td>").text(m.member()).raw("</td><td>").text(Integer.toString(m.n()))
                        .raw("</td><td>").text(Criteria.fmt(m.rho())).raw("</td></tr>\n"));
                raw("</table>\n");
            }
            if (f.attack() != null && !f.strengths().isEmpty()) {
                String symbol = f.attack().equals(RunData.GAUSSIAN) ? "sigma" : "eps";
                raw("<table><tr><th>").text(symbol).raw("</th><th>state</th><th>order violations / pairs</th><th>members nearly monotonic</th>"
                        + "<th>mean rho</th><th>95% interval</th><th>pooled rho (points)</th></tr>\n");
                for (Findings.Strength s : f.strengths()) {
                    long nearly = s.members().stream().filter(Findings.MemberOrder::nearlyMonotonic).count();
                    raw("<tr><td>").text(Criteria.fmt(s.strength())).raw("</td><td>").text(s.state().name().toLowerCase().replace('_', '-'))
                            .raw("</td><td>").text(s.violations() + " / " + s.pairs()).raw("</td><td>").text(nearly + " of " + s.members().size())
                            .raw("</td><td>").text(Criteria.fmt(s.rhoAcrossMembers().mean())).raw("</td><td>").text(interval(s.rhoAcrossMembers()))
                            .raw("</td><td>").text(Criteria.fmt(s.pooledRho()) + " (" + s.pooledN() + ")").raw("</td></tr>\n");
                }
                raw("</table>\n");
            }
            raw("</div>\n");
        }
    }

    /** The seed-level paired tests behind a verdict: every pair of layers at every strength. */
    private void evidence(Findings.Finding f) {
        SeedEvidence.Evidence e = f.evidence();
        if (e == null || e.family() == null) {
            return;
        }
        String symbol = f.attack() == null ? "" : f.attack().equals(RunData.GAUSSIAN) ? "sigma " : "eps ";
        raw("<table><tr><th>strength</th><th>order</th><th>layers (by alpha)</th><th>difference</th><th>95% interval</th>"
                + "<th>Holm p</th><th>differ</th></tr>\n");
        for (var st : e.family().strengths()) {
            for (var t : st.pairs()) {
                var p = t.pair();
                raw("<tr><td>").text(f.attack() == null ? "clean" : symbol + Criteria.fmt(st.strength())).raw("</td><td>").text(st.order().word())
                        .raw("</td><td>").text(e.layersByAlpha().get(p.upper()) + " vs " + e.layersByAlpha().get(p.lower()))
                        .raw("</td><td>").text(Criteria.fmt(p.difference())).raw("</td><td>")
                        .text("[" + Criteria.fmt(p.lo()) + ", " + Criteria.fmt(p.hi()) + "]").raw("</td><td>").text(Criteria.fmt(t.adjustedP()))
                        .raw("</td><td>").text(t.significant() ? "yes" : "no").raw("</td></tr>\n");
            }
        }
        raw("</table>\n<p class=\"criterion\">").text(e.measure() + "; " + e.seeds() + " seeds; difference = accuracy of the layer with "
                + "the larger alpha minus the other's, mean over seeds; " + e.family().tests() + " tests in the claim's family.").raw("</p>\n");
    }

    private void layerTable(RunData run, Member member) {
        raw("<h2>Layers at epoch ").text(member.epoch() == null ? "n/a" : member.epoch().toString()).raw("</h2>\n");
        raw("<table><tr><th>layer</th><th>alpha [95%]</th><th>R^2</th><th>fit window</th><th>rank</th><th>dead units</th>"
                + "<th>participation ratio</th><th>n90</th><th>n95</th><th>d (layer, TwoNN)</th>"
                + "<th>smoothness margin [95%] (d)</th><th>clean accuracy</th>" + (run.probes.isEmpty() ? "" : "<th>linear probe accuracy</th>")
                + "</tr>\n");
        for (Member.Layer l : member.layers()) {
            RunData.Fit fit = member.epoch() == null ? null : run.fits.getOrDefault(member.epoch(), new TreeMap<>()).get(l.layer());
            raw("<tr><td>").text(Integer.toString(l.layer())).raw("</td>");
            RunData.Extra x = fit == null ? RunData.Extra.NONE : fit.extra();
            raw("<td>").text(Criteria.fmt(l.alpha()) + bracket(x.alphaLo(), x.alphaHi()));
            if (fit != null && fit.poorFit()) {
                raw(" <span class=\"warn\" title=\"R^2 below 0.9: the window is off the power law\">&#9888; R^2 &lt; 0.9</span>");
            }
            raw("</td>");
            cell(fit == null ? Double.NaN : fit.r2());
            raw("<td>").text(fit == null ? "n/a" : Criteria.fmt(fit.fitLo()) + ".." + Criteria.fmt(fit.fitHi())).raw("</td>");
            cell(x.rank());
            cell(x.deadUnits());
            cell(fit == null ? Double.NaN : fit.participationRatio());
            cell(fit == null ? Double.NaN : fit.n90());
            cell(fit == null ? Double.NaN : fit.n95());
            cell(x.layerD());
            raw("<td>").text(Criteria.fmt(fit == null ? Double.NaN : fit.smoothnessMargin()) + bracket(x.marginLo(), x.marginHi())
                    + (Double.isNaN(x.manifoldDim()) ? "" : " (d " + Criteria.fmt(x.manifoldDim()) + sourceOf(x) + ")")).raw("</td>");
            cell(l.clean());
            if (!run.probes.isEmpty()) {
                cell(run.probeAccuracy(l.layer()));
            }
            raw("</tr>\n");
        }
        raw("</table>\n<p class=\"criterion\">Clean accuracy from ").text(member.cleanSource()).raw(". Intervals are 95% "
                + "delete-a-group jackknife intervals over probe blocks (computed at the last analysis unless analysis.intervals says "
                + "every). The margin uses d of the input manifold: the input probes' TwoNN estimate unless the spec gives "
                + "analysis.manifoldDim; d (layer) is the layer's own TwoNN estimate, not used in the margin. &#9888; marks an alpha "
                + "whose fit has R^2 &lt; 0.9: its window is off the power law.");
        raw(run.probes.isEmpty() ? "" : " Linear probe: a softmax readout trained on the frozen layer after epoch " + run.probes.lastKey()
                + " (metrics/probes.csv), scored on the test split: the layer's accuracy when its readout is trained rather than fixed.");
        raw("</p>\n");
        if (member.epoch() == null || run.attacks(member.epoch()).isEmpty()) {
            return;
        }
        raw("<h3>Accuracy under perturbation, epoch ").text(member.epoch().toString()).raw("</h3>\n<table><tr><th>attack</th><th>strength</th>");
        member.layers().forEach(l -> raw("<th>layer ").text(Integer.toString(l.layer())).raw("</th>"));
        raw("</tr>\n");
        for (String attack : run.attacks(member.epoch())) {
            java.util.Set<Double> strengths = new java.util.TreeSet<>();
            member.layers().forEach(l -> strengths.addAll(l.attacked().getOrDefault(attack, new TreeMap<>()).keySet()));
            for (double strength : strengths) {
                raw("<tr><td>").text(RunPlots.attackName(attack)).raw("</td><td>").text(Criteria.fmt(strength)).raw("</td>");
                member.layers().forEach(l -> cell(l.accuracy(attack, strength)));
                raw("</tr>\n");
            }
        }
        raw("</table>\n");
    }

    private void groupTable(List<Member> members) {
        Map<String, List<Member>> byLabel = new TreeMap<>();
        members.forEach(m -> byLabel.computeIfAbsent(m.label(), k -> new ArrayList<>()).add(m));
        raw("<h2>Layers across seeds</h2>\n<p class=\"criterion\">").text(Summary.INTERVAL.replace("the members' own rho", "a layer's value"))
                .raw("</p>\n<table><tr><th>settings</th><th>seeds</th><th>layer</th><th>alpha mean</th><th>alpha 95% interval</th>"
                        + "<th>clean accuracy mean</th><th>clean accuracy 95% interval</th></tr>\n");
        byLabel.forEach((label, group) -> Summary.layerIntervals(group).forEach((layer, iv) -> {
            raw("<tr><td>").text(label.isEmpty() ? "(all)" : label).raw("</td><td>").text(Integer.toString(group.size())).raw("</td><td>")
                    .text(Integer.toString(layer)).raw("</td>");
            cell(iv[0].mean());
            raw("<td>").text(interval(iv[0])).raw("</td>");
            cell(iv[1].mean());
            raw("<td>").text(interval(iv[1])).raw("</td></tr>\n");
        }));
        raw("</table>\n");
    }

    private void figures(List<Figure> figures) {
        Map<String, List<Figure>> bySection = new LinkedHashMap<>();
        figures.forEach(f -> bySection.computeIfAbsent(f.section(), k -> new ArrayList<>()).add(f));
        bySection.forEach((section, list) -> {
            raw("<h2>").text(section).raw("</h2>\n<div class=\"grid\">\n");
            for (Figure f : list) {
                raw("<figure><img src=\"").text(f.png()).raw("\" alt=\"").text(f.title()).raw("\"><figcaption>").text(f.caption())
                        .raw(" <a href=\"").text(f.svg()).raw("\">SVG</a></figcaption></figure>\n");
            }
            raw("</div>\n");
        });
    }

    private void definitions(Criteria criteria) {
        raw("<h2>Definitions</h2>\n<ul>\n");
        for (String d : List.of(Summary.MONOTONIC, Summary.VIOLATION, Summary.SPEARMAN, Summary.INTERVAL,
                "Tolerance " + Criteria.fmt(criteria.tolerance()) + " (accuracy); nearly monotonic: at most floor("
                        + Criteria.fmt(criteria.fewViolations()) + " x pairs) violations; strong: |mean rho| >= " + Criteria.fmt(criteria.highRho())
                        + "; clear sign: |mean rho| >= " + Criteria.fmt(criteria.signRho()) + "; significance: p <= " + Criteria.fmt(criteria.significance()) + ".")) {
            raw("<li>").text(d).raw("</li>\n");
        }
        raw("</ul>\n");
    }

    /** Which d the margin used: the input probes' TwoNN estimate (the default) or the spec's number. */
    private static String sourceOf(RunData.Extra x) {
        return switch (x.dimSource()) {
            case "twonn" -> ", input TwoNN";
            case "spec" -> ", from the spec";
            default -> "";
        };
    }

    /** " [lo, hi]", or nothing without an interval. */
    private static String bracket(double lo, double hi) {
        return Double.isNaN(lo) || Double.isNaN(hi) ? "" : " [" + Criteria.fmt(lo) + ", " + Criteria.fmt(hi) + "]";
    }

    private void cell(double value) {
        raw("<td>").text(Criteria.fmt(value)).raw("</td>");
    }

    /** No interval from fewer than 3 values (seeds): the page says how many there were instead. */
    private static String interval(MeanInterval i) {
        return Double.isNaN(i.lo()) || i.n() < org.manifoldlab.core.stats.SeedBootstrap.MIN_UNITS
                ? "n/a (" + i.n() + (i.n() == 1 ? " value)" : " values)")
                : "[" + Criteria.fmt(i.lo()) + ", " + Criteria.fmt(i.hi()) + "]";
    }

    private HtmlPage raw(String s) {
        html.append(s);
        return this;
    }

    private HtmlPage text(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '&' -> html.append("&amp;");
                case '<' -> html.append("&lt;");
                case '>' -> html.append("&gt;");
                case '"' -> html.append("&quot;");
                case '\'' -> html.append("&#39;");
                default -> html.append(ch);
            }
        }
        return this;
    }
}
