package org.manifoldlab.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.manifoldlab.core.stats.MeanInterval;

/**
 * The training-time axis drawn: for each layer, its mean alpha (x) and mean accuracy (y) over the
 * seeds at every analysed epoch, joined in epoch order, with the 95% interval of the accuracy
 * over seeds as bars. A layer whose accuracy rises as its own alpha rises climbs to the right.
 */
final class TrainingTimePlots {

    static final String SECTION = "Training time";

    private TrainingTimePlots() {
    }

    static List<Figure> write(List<RunData> runs, List<TrainingTime.Effect> effects, Path out) throws IOException {
        List<Figure> figures = new ArrayList<>();
        for (TrainingTime.Effect e : effects) {
            boolean drawn = e.attack().equals("clean") || e.strength() == 0.1 && !e.attack().equals(RunData.GAUSSIAN)
                    || e.strength() == 0.3 && e.attack().equals(RunData.GAUSSIAN);
            if (drawn) {
                Figure f = panel(runs, e, out);
                if (f != null) {
                    figures.add(f);
                }
            }
        }
        return figures;
    }

    static String name(TrainingTime.Effect e) {
        return e.attack().equals("clean") ? "clean" : String.format(Locale.ROOT, "%s %s = %s", RunPlots.attackName(e.attack()),
                e.attack().equals(RunData.GAUSSIAN) ? "sigma" : "eps", Criteria.fmt(e.strength()));
    }

    private static Figure panel(List<RunData> runs, TrainingTime.Effect e, Path out) throws IOException {
        // layer -> epoch -> values over seeds
        Map<Integer, NavigableMap<Integer, List<double[]>>> points = new TreeMap<>();
        for (RunData run : runs) {
            NavigableMap<Integer, NavigableMap<Integer, Double>> acc = TrainingTime.accuracies(run, e.attack(), e.strength());
            run.fits.forEach((epoch, layers) -> layers.forEach((layer, fit) -> {
                Double a = acc.getOrDefault(epoch, new TreeMap<>()).get(layer);
                if (a != null && Double.isFinite(a) && Double.isFinite(fit.alpha())) {
                    points.computeIfAbsent(layer, k -> new TreeMap<>()).computeIfAbsent(epoch, k -> new ArrayList<>())
                            .add(new double[] {fit.alpha(), a});
                }
            }));
        }
        String title = "Accuracy vs alpha over training, " + name(e);
        XYChart chart = Charts.chart(title, "alpha (mean over seeds)", "accuracy (mean over seeds)");
        int series = 0;
        for (var layer : points.entrySet()) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            List<Double> bar = new ArrayList<>();
            for (List<double[]> v : layer.getValue().values()) {
                MeanInterval ax = MeanInterval.of(v.stream().mapToDouble(p -> p[0]).toArray());
                MeanInterval ay = MeanInterval.of(v.stream().mapToDouble(p -> p[1]).toArray());
                x.add(ax.mean());
                y.add(ay.mean());
                bar.add(Double.isFinite(ay.hi()) ? ay.hi() - ay.mean() : 0.0);
            }
            if (x.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries("layer " + layer.getKey(), x.stream().mapToDouble(Double::doubleValue).toArray(),
                    y.stream().mapToDouble(Double::doubleValue).toArray(), bar.stream().mapToDouble(Double::doubleValue).toArray());
            s.setLineColor(Charts.layerColor(layer.getKey()));
            s.setMarkerColor(Charts.layerColor(layer.getKey()));
            s.setMarker(SeriesMarkers.CIRCLE);
            series++;
        }
        if (series == 0) {
            return null;
        }
        String base = "training-time-" + (e.attack().equals("clean") ? "clean" : e.attack() + "-" + Criteria.fmt(e.strength()));
        Charts.save(chart, out, base);
        String caption = String.format(Locale.ROOT, "%s: each layer's mean alpha and accuracy over the seeds at every analysed epoch, "
                        + "joined in epoch order; bars: 95%% interval of the accuracy over seeds. Spearman rho of accuracy against alpha "
                        + "over training, mean over %d seeds: %s [%s, %s] (%s).", name(e), e.overall().n(), Criteria.fmt(e.overall().mean()),
                Criteria.fmt(e.overall().lo()), Criteria.fmt(e.overall().hi()), e.direction().name().toLowerCase(Locale.ROOT));
        return new Figure(SECTION, base, title, caption);
    }
}
