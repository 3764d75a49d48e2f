package org.manifoldlab.core.stats;

import java.util.ArrayList;
import java.util.List;
import org.manifoldlab.core.seed.Seeds;

/**
 * Whether accuracy changes monotonically over layers ordered by alpha, judged with the seed as
 * the unit: at each strength every pair of layers gets a paired difference from the
 * {@link SeedBootstrap}; a pair differs when its difference is significant after a Holm
 * correction over all pairs of all strengths of the claim (family-wise 5%). At one strength the
 * order is "no difference" when no pair differs, "increasing" / "decreasing" when every
 * significant difference has that sign (no significant reversal), and "not monotonic" when
 * significant differences of both signs occur (at least one significant reversal).
 */
public final class LayerOrder {

    public static final double ALPHA = 0.05;
    public static final int REPLICATES = 2000;
    /** The fewest layers a verdict is drawn from: two layers have one pair, which can never reverse. */
    public static final int MIN_LAYERS = 3;

    public enum Order {
        NO_DIFFERENCE, INCREASING, DECREASING, NOT_MONOTONIC;

        public String word() {
            return name().toLowerCase().replace('_', ' ');
        }
    }

    /** One strength's seeds, counts per layer position in alpha order. */
    public record Input(double strength, List<SeedBootstrap.Unit> units) {
    }

    /** A pair of positions with its Holm-adjusted p-value and decision. */
    public record Tested(SeedBootstrap.Pair pair, double adjustedP, boolean significant) {
    }

    public record Strength(double strength, int seeds, int layers, List<Tested> pairs, Order order) {

        public long increases() {
            return pairs.stream().filter(t -> t.significant() && t.pair().difference() > 0).count();
        }

        public long decreases() {
            return pairs.stream().filter(t -> t.significant() && t.pair().difference() < 0).count();
        }
    }

    /** The whole family: every strength of a claim, Holm over all its pairs. */
    public record Family(List<Strength> strengths, int tests, double alpha, int replicates, long seed) {
    }

    private LayerOrder() {
    }

    /**
     * @param inputs every strength of one claim; each needs at least {@link SeedBootstrap#MIN_UNITS}
     *               seeds and {@link #MIN_LAYERS} layers (the caller says why when not)
     * @param seed   the bootstrap's stream: (seed, "layer-order-bootstrap", index of the strength)
     */
    public static Family test(List<Input> inputs, int replicates, long seed) {
        List<List<SeedBootstrap.Pair>> raw = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Input in = inputs.get(i);
            int layers = in.units().isEmpty() ? 0 : in.units().get(0).correct().length;
            if (layers < MIN_LAYERS) {
                throw new IllegalArgumentException("a verdict needs at least " + MIN_LAYERS + " layers, got " + layers);
            }
            raw.add(SeedBootstrap.pairs(in.units(), replicates, Seeds.stream(seed, "layer-order-bootstrap", i)));
        }
        int m = raw.stream().mapToInt(List::size).sum();
        double[] p = raw.stream().flatMap(List::stream).mapToDouble(SeedBootstrap.Pair::pValue).toArray();
        double[] adjusted = Holm.adjusted(p);
        List<Strength> out = new ArrayList<>();
        int k = 0;
        for (int i = 0; i < inputs.size(); i++) {
            List<Tested> tested = new ArrayList<>();
            for (SeedBootstrap.Pair pair : raw.get(i)) {
                tested.add(new Tested(pair, adjusted[k], adjusted[k] <= ALPHA));
                k++;
            }
            Input in = inputs.get(i);
            out.add(new Strength(in.strength(), in.units().size(), in.units().get(0).correct().length, tested, order(tested)));
        }
        return new Family(out, m, ALPHA, replicates, seed);
    }

    static Order order(List<Tested> pairs) {
        boolean up = pairs.stream().anyMatch(t -> t.significant() && t.pair().difference() > 0);
        boolean down = pairs.stream().anyMatch(t -> t.significant() && t.pair().difference() < 0);
        return up && down ? Order.NOT_MONOTONIC : up ? Order.INCREASING : down ? Order.DECREASING : Order.NO_DIFFERENCE;
    }
}
