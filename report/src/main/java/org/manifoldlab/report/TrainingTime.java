package org.manifoldlab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.manifoldlab.core.stats.MeanInterval;
import org.manifoldlab.core.stats.Spearman;

/**
 * The training-time axis: inside one layer of one network, as training goes on, does the
 * layer's accuracy rise as its own alpha rises? Depth is held fixed, so this is a second lever
 * on alpha beside the layer-to-layer comparison of {@link Findings}.
 *
 * <p>For every run and layer, Spearman rho between alpha and accuracy over the analysed epochs
 * (at least {@link #MIN_EPOCHS}); for every seed, the mean of its layers' rho (and of its runs',
 * when a seed has several). The seed is the unit: the effect is the mean over seeds with its 95%
 * Student-t interval, and the verdict is "rises" when that interval lies above 0, "falls" when it
 * lies below 0, and "inconclusive" otherwise or with fewer than 3 seeds.
 */
final class TrainingTime {

    static final int MIN_EPOCHS = 3;
    static final int MIN_SEEDS = 3;
    static final String CRITERION = "For each network (seed) and layer: Spearman rho between the layer's alpha and its accuracy over the "
            + "analysed epochs (at least " + MIN_EPOCHS + "). Per seed: the mean of its layers' rho. Effect: the mean over seeds with its "
            + "95% Student-t interval (seeds are the independent units). Verdict: rises when the interval lies above 0, falls when it "
            + "lies below 0, inconclusive otherwise or with fewer than " + MIN_SEEDS + " seeds.";

    enum Direction { RISES, FALLS, INCONCLUSIVE }

    /**
     * One accuracy (clean, or one attack at one strength) against alpha over training.
     *
     * @param attack   "clean", gaussian, fgsm or pgd
     * @param perLayer layer -> mean over seeds of that layer's rho, with its interval
     * @param overall  mean over seeds of each seed's mean rho, with its interval
     */
    record Effect(String attack, double strength, Map<Integer, MeanInterval> perLayer, MeanInterval overall, Direction direction) {
    }

    private TrainingTime() {
    }

    static List<Effect> evaluate(List<RunData> runs) {
        List<Effect> out = new ArrayList<>();
        out.add(effect(runs, "clean", Double.NaN));
        for (String attack : List.of(RunData.GAUSSIAN, RunData.FGSM, RunData.PGD)) {
            TreeSet<Double> strengths = new TreeSet<>();
            for (RunData run : runs) {
                run.robustness.values().forEach(byAttack -> byAttack.getOrDefault(attack, new TreeMap<>())
                        .values().forEach(m -> strengths.addAll(m.keySet())));
            }
            for (double s : strengths) {
                if (s > 0) {
                    out.add(effect(runs, attack, s));
                }
            }
        }
        return out;
    }

    /** epoch -> layer -> the accuracy the claims use, clean (test split) or under one attack at one strength. */
    static NavigableMap<Integer, NavigableMap<Integer, Double>> accuracies(RunData run, String attack, double strength) {
        if (attack.equals("clean")) {
            return run.accuracy.getOrDefault("test", new TreeMap<>());
        }
        NavigableMap<Integer, NavigableMap<Integer, Double>> out = new TreeMap<>();
        for (int epoch : run.robustness.keySet()) {
            run.attackAccuracy(epoch, attack).forEach((layer, byStrength) -> {
                Double a = byStrength.get(strength);
                if (a != null) {
                    out.computeIfAbsent(epoch, e -> new TreeMap<>()).put(layer, a);
                }
            });
        }
        return out;
    }

    /** layer -> rho of one run over its analysed epochs (layers with fewer than MIN_EPOCHS points, or constant ones, are left out). */
    static Map<Integer, Double> rhoByLayer(RunData run, String attack, double strength) {
        NavigableMap<Integer, NavigableMap<Integer, Double>> acc = accuracies(run, attack, strength);
        Map<Integer, Double> out = new TreeMap<>();
        for (int layer : run.layers()) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (var e : run.fits.entrySet()) {
                RunData.Fit fit = e.getValue().get(layer);
                Double a = acc.getOrDefault(e.getKey(), new TreeMap<>()).get(layer);
                if (fit != null && Double.isFinite(fit.alpha()) && a != null && Double.isFinite(a)) {
                    x.add(fit.alpha());
                    y.add(a);
                }
            }
            if (x.size() >= MIN_EPOCHS) {
                double rho = Spearman.rho(x.stream().mapToDouble(Double::doubleValue).toArray(), y.stream().mapToDouble(Double::doubleValue).toArray());
                if (Double.isFinite(rho)) {
                    out.put(layer, rho);
                }
            }
        }
        return out;
    }

    static Effect effect(List<RunData> runs, String attack, double strength) {
        Map<Long, List<Map<Integer, Double>>> bySeed = new TreeMap<>();
        for (RunData run : runs) {
            bySeed.computeIfAbsent(run.seed, s -> new ArrayList<>()).add(rhoByLayer(run, attack, strength));
        }
        List<Double> seedMeans = new ArrayList<>();
        Map<Integer, List<Double>> layerValues = new TreeMap<>();
        for (List<Map<Integer, Double>> seedRuns : bySeed.values()) {
            Map<Integer, List<Double>> perLayer = new TreeMap<>();
            seedRuns.forEach(r -> r.forEach((layer, rho) -> perLayer.computeIfAbsent(layer, k -> new ArrayList<>()).add(rho)));
            if (perLayer.isEmpty()) {
                continue;
            }
            double sum = 0;
            for (var e : perLayer.entrySet()) {
                double m = mean(e.getValue());
                layerValues.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(m);
                sum += m;
            }
            seedMeans.add(sum / perLayer.size());
        }
        Map<Integer, MeanInterval> perLayer = new LinkedHashMap<>();
        layerValues.forEach((layer, v) -> perLayer.put(layer, MeanInterval.of(v.stream().mapToDouble(Double::doubleValue).toArray())));
        MeanInterval overall = MeanInterval.of(seedMeans.stream().mapToDouble(Double::doubleValue).toArray());
        return new Effect(attack, strength, perLayer, overall, direction(overall));
    }

    static Direction direction(MeanInterval i) {
        if (i.n() < MIN_SEEDS) {
            return Direction.INCONCLUSIVE;
        }
        return i.above(0) ? Direction.RISES : i.below(0) ? Direction.FALLS : Direction.INCONCLUSIVE;
    }

    private static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** The summary.json form. */
    static Map<String, Object> summary(List<Effect> effects) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("criterion", CRITERION);
        List<Object> list = new ArrayList<>();
        for (Effect e : effects) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("attack", e.attack());
            x.put("strength", Summary.num(e.strength()));
            x.put("overall", Summary.interval(e.overall()));
            x.put("direction", e.direction().name().toLowerCase(Locale.ROOT));
            List<Object> layers = new ArrayList<>();
            e.perLayer().forEach((layer, i) -> {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("layer", layer);
                l.put("rho", Summary.interval(i));
                layers.add(l);
            });
            x.put("layers", layers);
            list.add(x);
        }
        m.put("effects", list);
        return m;
    }
}
