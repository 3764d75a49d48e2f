package org.manifoldlab.report;

import java.awt.Color;
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

/** The plots of one run: spectra with their fits, curves over training, accuracy versus attack strength. */
final class RunPlots {

    static final String SPECTRA = "Eigen-spectra";
    static final String TRAINING = "Over training";
    static final String ROBUSTNESS = "Accuracy under perturbation";

    private RunPlots() {
    }

    static List<Figure> write(RunData run, Integer epoch, Path out) throws IOException {
        List<Figure> figures = new ArrayList<>();
        figures.addAll(spectra(run, epoch, out));
        figures.addAll(overTraining(run, out));
        if (epoch != null) {
            figures.addAll(attackCurves(run, epoch, out));
        }
        return figures;
    }

    /**
     * One log-log chart per layer: the eigenvalues by rank, the fitted power law
     * lambda_n = C n^-alpha over the fit window, and the window itself as a bracket. The CSV keeps
     * alpha but not C; the least-squares line passes through the mean of the window's
     * (log n, log lambda), so log C = mean(log lambda_n + alpha log n) over the window's positive eigenvalues.
     */
    static List<Figure> spectra(RunData run, Integer epoch, Path out) throws IOException {
        if (run.spectra.isEmpty()) {
            return List.of();
        }
        int e = epoch != null && run.spectra.containsKey(epoch) ? epoch : run.spectra.lastKey();
        List<Figure> figures = new ArrayList<>();
        for (Map.Entry<Integer, NavigableMap<Integer, Double>> entry : run.spectra.get(e).entrySet()) {
            int layer = entry.getKey();
            List<Double> ranks = new ArrayList<>();
            List<Double> eig = new ArrayList<>();
            // eigenvalues below 1e-9 of the largest are rounding (width * eps * lambda_1 is ~1e-4 of it
            // already); drawing them would stretch the log axis over tens of empty decades
            double largest = entry.getValue().values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
            entry.getValue().forEach((r, v) -> {
                if (v > 0 && v >= largest * 1e-9) {
                    ranks.add((double) r);
                    eig.add(v);
                }
            });
            if (ranks.isEmpty()) {
                continue;
            }
            XYChart chart = Charts.chart(String.format(Locale.ROOT, "Layer %d eigen-spectrum, epoch %d", layer, e), "rank n", "eigenvalue lambda_n");
            chart.getStyler().setXAxisLogarithmic(true);
            chart.getStyler().setYAxisLogarithmic(true);
            // drawn through at most ~300 log-spaced ranks: the same line on log axes, and SVG files
            // of kilobytes instead of megabytes; the fit below uses every eigenvalue
            List<Double> drawnRanks = new ArrayList<>();
            List<Double> drawnEig = new ArrayList<>();
            double next = 1;
            for (int i = 0; i < ranks.size(); i++) {
                if (ranks.get(i) >= next || i == ranks.size() - 1) {
                    drawnRanks.add(ranks.get(i));
                    drawnEig.add(eig.get(i));
                    next = ranks.get(i) * 1.02;
                }
            }
            XYSeries points = Charts.add(chart, "eigenvalues", drawnRanks, drawnEig);
            // a marker per eigenvalue helps a short spectrum; on a long one the markers would hide the fit
            points.setMarker(ranks.size() <= 60 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            points.setLineWidth(2f);
            points.setLineColor(Charts.layerColor(layer));
            points.setMarkerColor(Charts.layerColor(layer));
            RunData.Fit fit = run.fits.getOrDefault(e, new TreeMap<>()).get(layer);
            String caption = String.format(Locale.ROOT, "Layer %d, epoch %d: %d positive eigenvalues.", layer, e, ranks.size());
            if (fit != null && Double.isFinite(fit.alpha()) && fit.fitLo() > 0 && fit.fitHi() >= fit.fitLo()) {
                double sum = 0;
                int n = 0;
                for (int i = 0; i < ranks.size(); i++) {
                    if (ranks.get(i) >= fit.fitLo() && ranks.get(i) <= fit.fitHi()) {
                        sum += Math.log(eig.get(i)) + fit.alpha() * Math.log(ranks.get(i));
                        n++;
                    }
                }
                double lo = fit.fitLo();
                double hi = fit.fitHi();
                if (n > 0) {
                    double logC = sum / n;
                    XYSeries line = Charts.add(chart, String.format(Locale.ROOT, "fit: alpha = %s, R^2 = %s", Criteria.fmt(fit.alpha()),
                            Criteria.fmt(fit.r2())), List.of(lo, hi), List.of(Math.exp(logC - fit.alpha() * Math.log(lo)),
                            Math.exp(logC - fit.alpha() * Math.log(hi))));
                    line.setMarker(SeriesMarkers.NONE);
                    line.setLineColor(Color.BLACK);
                    line.setLineStyle(Charts.DASHED);
                    line.setLineWidth(2f);
                }
                double top = eig.stream().mapToDouble(Double::doubleValue).max().orElse(1);
                double bottom = eig.stream().mapToDouble(Double::doubleValue).min().orElse(1);
                XYSeries window = Charts.add(chart, String.format(Locale.ROOT, "fit window n = %s..%s", Criteria.fmt(lo), Criteria.fmt(hi)),
                        List.of(lo, lo, hi, hi), List.of(top, bottom, bottom, top));
                window.setMarker(SeriesMarkers.NONE);
                window.setLineColor(Color.GRAY);
                window.setLineStyle(Charts.DOTTED);
                caption += String.format(Locale.ROOT, " Power-law fit over ranks %s..%s (%s points): alpha = %s, R^2 = %s; "
                                + "participation ratio %s; smoothness margin alpha - (1 + 2/d) = %s.",
                        Criteria.fmt(lo), Criteria.fmt(hi), Criteria.fmt(fit.points()), Criteria.fmt(fit.alpha()), Criteria.fmt(fit.r2()),
                        Criteria.fmt(fit.participationRatio()), Criteria.fmt(fit.smoothnessMargin()));
            } else {
                caption += " No power-law fit recorded for this layer and epoch.";
            }
            String base = "spectrum-layer" + layer;
            Charts.save(chart, out, base);
            figures.add(new Figure(SPECTRA, base, "Layer " + layer + " eigen-spectrum (log-log)", caption));
        }
        return figures;
    }

    static List<Figure> overTraining(RunData run, Path out) throws IOException {
        List<Figure> figures = new ArrayList<>();
        NavigableMap<Integer, NavigableMap<Integer, Double>> alpha = new TreeMap<>();
        NavigableMap<Integer, NavigableMap<Integer, Double>> pr = new TreeMap<>();
        run.fits.forEach((epoch, layers) -> layers.forEach((layer, fit) -> {
            alpha.computeIfAbsent(layer, k -> new TreeMap<>()).put(epoch, fit.alpha());
            pr.computeIfAbsent(layer, k -> new TreeMap<>()).put(epoch, fit.participationRatio());
        }));
        figures.add(curves(out, "alpha-over-training", "Spectral decay alpha per layer over training", "epoch", "alpha", alpha, false,
                "alpha of each layer at every analysed epoch (the fit window is in each spectrum's caption)."));
        figures.add(curves(out, "participation-ratio-over-training", "Participation ratio per layer over training", "epoch",
                "participation ratio (sum lambda)^2 / sum lambda^2", pr, false, "The participation-ratio dimension of each layer at every analysed epoch."));
        NavigableMap<Integer, NavigableMap<Integer, Double>> test = new TreeMap<>();
        run.accuracy.getOrDefault("test", new TreeMap<>()).forEach((epoch, layers) -> layers.forEach((layer, acc) ->
                test.computeIfAbsent(layer, k -> new TreeMap<>()).put(epoch, acc)));
        figures.add(curves(out, "test-accuracy-over-training", "Local test accuracy per layer over training", "epoch", "accuracy", test, true,
                "Accuracy of each layer's own fixed random readout, argmax(B_l h_l), on the test split after every epoch."));
        NavigableMap<Integer, NavigableMap<Integer, Double>> validation = new TreeMap<>();
        run.accuracy.getOrDefault("validation", new TreeMap<>()).forEach((epoch, layers) -> layers.forEach((layer, acc) ->
                validation.computeIfAbsent(layer, k -> new TreeMap<>()).put(epoch, acc)));
        if (!validation.isEmpty()) {
            figures.add(curves(out, "validation-accuracy-over-training", "Local validation accuracy per layer over training", "epoch",
                    "accuracy", validation, true, "Accuracy of each layer's readout on the validation set held out of the training set "
                            + "(data.validationFraction) after every epoch: what the early-stopping rule reads."));
        }
        return figures.stream().filter(f -> f != null).toList();
    }

    static List<Figure> attackCurves(RunData run, int epoch, Path out) throws IOException {
        List<Figure> figures = new ArrayList<>();
        for (String attack : run.attacks(epoch)) {
            String symbol = attack.equals(RunData.GAUSSIAN) ? "sigma" : "eps";
            String name = attackName(attack);
            NavigableMap<Integer, NavigableMap<Double, Double>> byLayer = run.attackAccuracy(epoch, attack);
            java.util.Set<Double> strengths = new java.util.TreeSet<>();
            byLayer.values().forEach(m -> strengths.addAll(m.keySet()));
            if (strengths.size() == 1) {
                figures.add(bars(run, epoch, attack, symbol, strengths.iterator().next(), byLayer, out));
                continue;
            }
            Figure f = curves(out, "accuracy-vs-" + symbol + "-" + attack, String.format(Locale.ROOT, "%s: accuracy vs %s, epoch %d", name, symbol, epoch),
                    symbol, "accuracy", byLayer, true, String.format(Locale.ROOT, "%s of every layer's readout under %s at each %s "
                            + "(epoch %d, all probe samples).", measure(run, attack), name, symbol, epoch));
            if (f != null) {
                figures.add(f);
            }
        }
        return figures;
    }

    /** An attack at a single strength (PGD's default grid has one eps): a bar per layer, not a line of one point each. */
    private static Figure bars(RunData run, int epoch, String attack, String symbol, double strength,
                               NavigableMap<Integer, NavigableMap<Double, Double>> byLayer, Path out) throws IOException {
        List<String> layers = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        byLayer.forEach((layer, m) -> {
            layers.add("layer " + layer);
            values.add(m.get(strength));
        });
        String name = attackName(attack);
        String base = "accuracy-vs-" + symbol + "-" + attack;
        String title = String.format(Locale.ROOT, "%s, %s = %s: accuracy per layer, epoch %d", name, symbol, Criteria.fmt(strength), epoch);
        Charts.save(Charts.barChart(title, "layer", "accuracy", layers, values), out, base);
        return new Figure(ROBUSTNESS, base, title, String.format(Locale.ROOT, "%s of every layer's readout under %s at its one %s "
                + "(epoch %d, all probe samples).", measure(run, attack), name, symbol, epoch));
    }

    /** Which accuracy the claims and plots use for an attack ({@link RunData.Robust#forClaims}). */
    static String measure(RunData run, String attack) {
        if (RunData.GAUSSIAN.equals(attack) && run.hasPlainAccuracy()) {
            return "Accuracy (right on the noisy input)";
        }
        return "Robust accuracy (right on both the clean and the perturbed input)";
    }

    static String attackName(String attack) {
        return switch (attack) {
            case RunData.GAUSSIAN -> "Gaussian noise";
            case RunData.FGSM -> "FGSM";
            case RunData.PGD -> "PGD";
            default -> attack;
        };
    }

    private static <K extends Number> Figure curves(Path out, String base, String title, String xTitle, String yTitle,
                                                    NavigableMap<Integer, ? extends NavigableMap<K, Double>> byLayer, boolean accuracy,
                                                    String caption) throws IOException {
        XYChart chart = accuracy ? Charts.accuracyChart(title, xTitle) : Charts.chart(title, xTitle, yTitle);
        if (xTitle.equals("epoch")) {
            chart.getStyler().setXAxisDecimalPattern("0");
        }
        int series = 0;
        for (var entry : byLayer.entrySet()) {
            List<Double> x = entry.getValue().keySet().stream().map(Number::doubleValue).toList();
            List<Double> y = new ArrayList<>(entry.getValue().values());
            if (Charts.layerLine(chart, "layer " + entry.getKey(), entry.getKey(), x, y) != null) {
                series++;
            }
        }
        if (series == 0) {
            return null;
        }
        Charts.save(chart, out, base);
        String section = base.startsWith("accuracy-vs-") ? ROBUSTNESS : TRAINING;
        return new Figure(section, base, title, caption);
    }
}
