package org.manifoldlab.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleBiFunction;
import org.manifoldlab.core.stats.LayerOrder;
import org.manifoldlab.core.stats.SeedBootstrap;

/**
 * The numbers behind a verdict, with the network trained from one seed as the unit: the members
 * are grouped by seed (members of one seed, e.g. readout scales pooled with --pool, add their
 * probe counts and average their alpha), layers are put in order of their mean alpha over the
 * seeds, and {@link LayerOrder} tests every pair at every strength of the claim.
 */
final class SeedEvidence {

    /** The bootstrap's seed: fixed, so a report is reproducible. */
    static final long BOOTSTRAP_SEED = 20_210_487L;

    /**
     * @param measure       which accuracy was tested
     * @param layersByAlpha the layers compared, in order of mean alpha (position 0 has the smallest)
     * @param seeds         independent networks (distinct seeds)
     * @param family        the tests (null when unavailable)
     * @param unavailable   why no test was made (null when it was)
     */
    record Evidence(String measure, List<Integer> layersByAlpha, int seeds, LayerOrder.Family family, String unavailable) {
    }

    private SeedEvidence() {
    }

    static Evidence clean(List<Member> members) {
        return evidence(members, "clean test accuracy", List.of(0.0), (l, s) -> l.clean(), (l, s) -> l.cleanSamples());
    }

    /** Strengths > 0 of one attack measured at every layer of every member. */
    static Evidence attack(List<Member> members, String attack, String measure) {
        TreeSet<Double> strengths = new TreeSet<>();
        members.forEach(m -> m.layers().forEach(l -> l.attacked().getOrDefault(attack, new TreeMap<>()).keySet().stream()
                .filter(s -> s > 0).forEach(strengths::add)));
        return evidence(members, measure, new ArrayList<>(strengths), (l, s) -> l.accuracy(attack, s), (l, s) -> l.samples(attack, s));
    }

    private static Evidence evidence(List<Member> members, String measure, List<Double> strengths,
                                     ToDoubleBiFunction<Member.Layer, Double> accuracy, ToDoubleBiFunction<Member.Layer, Double> samples) {
        Map<Long, List<Member>> bySeed = new TreeMap<>();
        members.forEach(m -> bySeed.computeIfAbsent(m.seed(), k -> new ArrayList<>()).add(m));
        int seeds = bySeed.size();
        if (strengths.isEmpty()) {
            return new Evidence(measure, List.of(), seeds, null, "nothing measured at a strength > 0");
        }
        // layers usable at every strength in every member: finite alpha, accuracy and probe count
        TreeSet<Integer> layers = new TreeSet<>();
        members.forEach(m -> m.layers().forEach(l -> layers.add(l.layer())));
        layers.removeIf(layer -> members.stream().anyMatch(m -> {
            Member.Layer l = m.layers().stream().filter(x -> x.layer() == layer).findFirst().orElse(null);
            return l == null || !Double.isFinite(l.alpha())
                    || strengths.stream().anyMatch(s -> !Double.isFinite(accuracy.applyAsDouble(l, s)) || !(samples.applyAsDouble(l, s) >= 1));
        }));
        if (seeds < SeedBootstrap.MIN_UNITS) {
            return new Evidence(measure, List.copyOf(layers), seeds, null, String.format(
                    "%d seed%s: no interval is drawn from fewer than %d independently trained networks (members of one seed share "
                            + "its initialisation, split and batch order)", seeds, seeds == 1 ? "" : "s", SeedBootstrap.MIN_UNITS));
        }
        if (layers.size() < LayerOrder.MIN_LAYERS) {
            return new Evidence(measure, List.copyOf(layers), seeds, null, String.format(
                    "%d layer%s with alpha, accuracy and probe counts in every member: no verdict from fewer than %d layers (two "
                            + "layers form one pair, which cannot show a reversal)", layers.size(), layers.size() == 1 ? "" : "s",
                    LayerOrder.MIN_LAYERS));
        }
        List<Integer> byAlpha = new ArrayList<>(layers);
        Map<Integer, Double> meanAlpha = new TreeMap<>();
        for (int layer : layers) {
            meanAlpha.put(layer, bySeed.values().stream().mapToDouble(ms -> ms.stream()
                    .mapToDouble(m -> layer(m, layer).alpha()).average().orElse(Double.NaN)).average().orElse(Double.NaN));
        }
        byAlpha.sort(Comparator.comparingDouble(meanAlpha::get));
        List<LayerOrder.Input> inputs = new ArrayList<>();
        for (double s : strengths) {
            List<SeedBootstrap.Unit> units = new ArrayList<>();
            bySeed.forEach((seed, ms) -> {
                long[] correct = new long[byAlpha.size()];
                long[] n = new long[byAlpha.size()];
                for (int p = 0; p < byAlpha.size(); p++) {
                    for (Member m : ms) {
                        Member.Layer l = layer(m, byAlpha.get(p));
                        long count = Math.round(samples.applyAsDouble(l, s));
                        correct[p] += Math.round(accuracy.applyAsDouble(l, s) * count);
                        n[p] += count;
                    }
                }
                units.add(new SeedBootstrap.Unit("seed " + seed, correct, n));
            });
            inputs.add(new LayerOrder.Input(s, units));
        }
        return new Evidence(measure, byAlpha, seeds, LayerOrder.test(inputs, LayerOrder.REPLICATES, BOOTSTRAP_SEED), null);
    }

    private static Member.Layer layer(Member m, int layer) {
        return m.layers().stream().filter(x -> x.layer() == layer).findFirst().orElseThrow();
    }
}
