package org.manifoldlab.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.manifoldlab.core.stats.MeanInterval;
import org.manifoldlab.core.stats.SeedBootstrap;

/**
 * Accuracy versus alpha, one point per layer and member, one panel per attack strength: the
 * pictures behind the three findings. Each member's layers are joined in order of alpha in the
 * member's colour, so a reversal shows as a zig-zag; y axes are fitted to the data.
 */
final class AlphaPlots {

    static final String SECTION = "Accuracy versus alpha";

    private AlphaPlots() {
    }

    static List<Figure> write(List<Member> members, List<Findings.Finding> findings, Path out) throws IOException {
        List<Figure> figures = new ArrayList<>();
        Findings.Finding clean = findings.get(0);
        Figure f = panel(out, "accuracy-vs-alpha-clean", "Clean accuracy vs alpha", members, Member.Layer::clean, Member.Layer::cleanSamples,
                String.format(Locale.ROOT, "Clean accuracy (%s) against alpha. Spearman rho = %s over %d points. Finding 1: %s.",
                        members.isEmpty() ? "" : members.get(0).cleanSource(), Criteria.fmt(clean.clean().pooled().rho()),
                        clean.clean().pooled().n(), clean.verdict().word()));
        if (f != null) {
            figures.add(f);
        }
        for (String attack : List.of(RunData.GAUSSIAN, RunData.FGSM)) {
            Findings.Finding finding = findings.stream().filter(x -> attack.equals(x.attack())).findFirst().orElseThrow();
            String symbol = attack.equals(RunData.GAUSSIAN) ? "sigma" : "eps";
            Set<Double> strengths = new TreeSet<>();
            members.forEach(m -> m.layers().forEach(l -> strengths.addAll(l.attacked().getOrDefault(attack, new java.util.TreeMap<>()).keySet())));
            for (double s : strengths) {
                String title = String.format(Locale.ROOT, "%s, %s = %s", RunPlots.attackName(attack), symbol, Criteria.fmt(s));
                String caption = title + ": accuracy against alpha, one point per layer" + (members.size() > 1 ? " and member" : "") + ".";
                Findings.Strength stats = finding.strengths().stream().filter(x -> x.strength() == s).findFirst().orElse(null);
                if (stats != null) {
                    title += String.format(Locale.ROOT, ": rho %s, %d/%d violations", Criteria.fmt(stats.rhoAcrossMembers().mean()),
                            stats.violations(), stats.pairs());
                    caption += String.format(Locale.ROOT, " Mean Spearman rho %s (pooled %s over %d points); %d order violation%s in %d "
                                    + "comparable pairs (tolerance %s); state: %s.", Criteria.fmt(stats.rhoAcrossMembers().mean()),
                            Criteria.fmt(stats.pooledRho()), stats.pooledN(), stats.violations(), stats.violations() == 1 ? "" : "s",
                            stats.pairs(), Criteria.fmt(stats.members().get(0).order().tolerance()), stats.state().name().toLowerCase().replace('_', '-'));
                } else if (s == 0) {
                    caption += " Strength 0 is the unperturbed probe set.";
                }
                String base = String.format(Locale.ROOT, "accuracy-vs-alpha-%s-%s-%s", attack, symbol, Criteria.fmt(s));
                Figure fig = panel(out, base, title, members, l -> l.accuracy(attack, s), l -> l.samples(attack, s), caption);
                if (fig != null) {
                    figures.add(fig);
                }
            }
        }
        return figures;
    }

    /**
     * One panel: each member's layers as points in the member's colour (legend: seed and
     * setting), joined in order of alpha so a reversal shows as a zig-zag, each labelled with
     * its layer number, with the 95% binomial interval of its accuracy over its probes as a
     * vertical bar. With 3 or more seeds of one setting, a black cross per layer marks the mean
     * over the seeds with the 95% t-intervals of alpha (horizontal) and accuracy (vertical).
     */
    private static Figure panel(Path out, String base, String title, List<Member> members, ToDoubleFunction<Member.Layer> accuracy,
                                ToDoubleFunction<Member.Layer> samples, String caption) throws IOException {
        XYChart chart = Charts.accuracyChart(title, "alpha (spectral decay exponent)");
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        int series = 0;
        for (int m = 0; m < members.size(); m++) {
            Member member = members.get(m);
            List<Member.Layer> byAlpha = member.layers().stream().filter(l -> Double.isFinite(l.alpha()) && Double.isFinite(accuracy.applyAsDouble(l)))
                    .sorted(Comparator.comparingDouble(Member.Layer::alpha)).toList();
            if (byAlpha.isEmpty()) {
                continue;
            }
            double[] x = byAlpha.stream().mapToDouble(Member.Layer::alpha).toArray();
            double[] y = byAlpha.stream().mapToDouble(accuracy).toArray();
            double[] bar = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                double n = samples.applyAsDouble(byAlpha.get(i));
                bar[i] = n >= 1 ? 1.96 * Math.sqrt(y[i] * (1 - y[i]) / n) : 0;  // 95% normal interval of a binomial proportion
                chart.addAnnotation(new AnnotationText(Integer.toString(byAlpha.get(i).layer()), x[i], y[i], false));
            }
            String name = "seed " + member.seed() + (member.label().isEmpty() ? "" : ", " + member.label());
            XYSeries s = chart.addSeries(unique(chart, name), x, y, bar);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(Charts.memberColor(m));
            s.setLineColor(Charts.memberColor(m));
            s.setLineWidth(1f);
            series++;
        }
        if (series == 0) {
            return null;
        }
        if (seedMeans(chart, members, accuracy)) {
            caption += " Black crosses: mean over seeds per layer with 95% t-intervals of alpha and accuracy.";
        }
        chart.getStyler().setAnnotationTextFontColor(new Color(0x333333));
        Charts.save(chart, out, base);
        return new Figure(SECTION, base, title, caption + " Bars: 95% binomial interval over the probes.");
    }

    /** Per setting with at least 3 seeds: mean over seeds per layer, with t-intervals. Whether any was drawn. */
    private static boolean seedMeans(XYChart chart, List<Member> members, ToDoubleFunction<Member.Layer> accuracy) {
        Map<String, List<Member>> bySetting = new TreeMap<>();
        members.forEach(m -> bySetting.computeIfAbsent(m.label(), k -> new ArrayList<>()).add(m));
        boolean drawn = false;
        for (var e : bySetting.entrySet()) {
            if (e.getValue().stream().map(Member::seed).distinct().count() < SeedBootstrap.MIN_UNITS) {
                continue;
            }
            Map<Integer, List<Member.Layer>> byLayer = new TreeMap<>();
            e.getValue().forEach(m -> m.layers().forEach(l -> byLayer.computeIfAbsent(l.layer(), k -> new ArrayList<>()).add(l)));
            for (var layer : byLayer.entrySet()) {
                MeanInterval a = MeanInterval.of(layer.getValue().stream().mapToDouble(Member.Layer::alpha).toArray());
                MeanInterval y = MeanInterval.of(layer.getValue().stream().mapToDouble(accuracy).toArray());
                if (a.n() < SeedBootstrap.MIN_UNITS || y.n() < SeedBootstrap.MIN_UNITS) {
                    continue;
                }
                String id = "mean " + e.getKey() + " layer " + layer.getKey();
                XYSeries h = chart.addSeries(id + " alpha", new double[] {a.lo(), a.hi()}, new double[] {y.mean(), y.mean()});
                h.setMarker(SeriesMarkers.NONE);
                h.setLineColor(Color.BLACK);
                h.setShowInLegend(false);
                XYSeries v = chart.addSeries(id, new double[] {a.mean()}, new double[] {y.mean()}, new double[] {y.hi() - y.mean()});
                v.setMarker(SeriesMarkers.CROSS);
                v.setMarkerColor(Color.BLACK);
                v.setShowInLegend(false);
                drawn = true;
            }
        }
        return drawn;
    }

    private static String unique(XYChart chart, String name) {
        String out = name;
        for (int k = 2; chart.getSeriesMap().containsKey(out); k++) {
            out = name + " (" + k + ")";
        }
        return out;
    }
}
