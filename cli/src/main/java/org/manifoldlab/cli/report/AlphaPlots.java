package org.manifoldlab.cli.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Accuracy versus alpha, one point per layer and member, one panel per attack strength: the
 * pictures behind the three findings. Each member's layers are joined in order of alpha by a
 * thin grey line, so a reversal (an order violation) shows as a zig-zag.
 */
final class AlphaPlots {

    static final String SECTION = "Accuracy versus alpha";

    private AlphaPlots() {
    }

    static List<Figure> write(List<Member> members, List<Findings.Finding> findings, Path out) throws IOException {
        List<Figure> figures = new ArrayList<>();
        Findings.Finding clean = findings.get(0);
        Figure f = panel(out, "accuracy-vs-alpha-clean", "Clean accuracy vs alpha", members, Member.Layer::clean,
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
                Figure fig = panel(out, base, title, members, l -> l.accuracy(attack, s), caption);
                if (fig != null) {
                    figures.add(fig);
                }
            }
        }
        return figures;
    }

    private static Figure panel(Path out, String base, String title, List<Member> members,
                                java.util.function.ToDoubleFunction<Member.Layer> accuracy, String caption) throws IOException {
        XYChart chart = Charts.accuracyChart(title, "alpha (spectral decay exponent)");
        int series = 0;
        // grey guides first, so the coloured points are drawn over them
        for (int m = 0; m < members.size(); m++) {
            List<Member.Layer> byAlpha = members.get(m).layers().stream().filter(l -> Double.isFinite(l.alpha()) && Double.isFinite(accuracy.applyAsDouble(l)))
                    .sorted(Comparator.comparingDouble(Member.Layer::alpha)).toList();
            if (byAlpha.size() < 2) {
                continue;
            }
            XYSeries guide = Charts.add(chart, "order " + members.get(m).id(), byAlpha.stream().map(Member.Layer::alpha).toList(),
                    byAlpha.stream().map(l -> accuracy.applyAsDouble(l)).toList());
            guide.setMarker(SeriesMarkers.NONE);
            guide.setLineColor(new Color(0xB0B0B0));
            guide.setLineWidth(1f);
            guide.setShowInLegend(false);
        }
        Set<Integer> layers = new TreeSet<>();
        members.forEach(m -> m.layers().forEach(l -> layers.add(l.layer())));
        for (int layer : layers) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (Member m : members) {
                for (Member.Layer l : m.layers()) {
                    if (l.layer() == layer) {
                        x.add(l.alpha());
                        y.add(accuracy.applyAsDouble(l));
                    }
                }
            }
            XYSeries s = Charts.add(chart, "layer " + layer, x, y);
            if (s != null) {
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setMarkerColor(Charts.layerColor(layer));
                series++;
            }
        }
        if (series == 0) {
            return null;
        }
        Charts.save(chart, out, base);
        return new Figure(SECTION, base, title, caption);
    }
}
