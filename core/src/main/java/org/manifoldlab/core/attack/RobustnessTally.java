package org.manifoldlab.core.attack;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of accuracy under attack per (attack, layer) and of clean accuracy per layer, kept per
 * probe batch. Sums are taken in batch order when the records are made, so tallies of disjoint
 * batches merge into exactly (bit for bit) the numbers of one tally over all of them, whatever
 * the split or the arrival order; a batch tallied twice with the same counts (work redone after
 * a restart) counts once.
 */
public final class RobustnessTally {

    private final int depth;
    private final TreeMap<Integer, Counts[]> clean = new TreeMap<>();
    private final Map<Key, TreeMap<Integer, Counts>> attacked = new LinkedHashMap<>();

    private record Key(Attack attack, int layer) {
    }

    /** One batch's counts. */
    private record Counts(long samples, long correct, long perturbedCorrect, double l2Sum, double linfMax) {
    }

    public RobustnessTally(int depth) {
        this.depth = depth;
    }

    /** correct: the clean samples of the batch that layer l's readout gets right. */
    public void addClean(int batch, int layer, long correct, long samples) {
        Counts[] layers = clean.computeIfAbsent(batch, b -> new Counts[depth]);
        layers[layer - 1] = once(layers[layer - 1], new Counts(samples, correct, correct, 0, 0), "clean", batch, layer);
    }

    /**
     * One batch's counts under an attack at a layer. correct: right both clean and perturbed;
     * perturbedCorrect: right on x'; l2Sum: the sum of per-sample ||x' - x||_2; linfMax: the
     * largest per-sample ||x' - x||_inf.
     */
    public void add(Attack attack, int layer, int batch, long correct, long perturbedCorrect, long samples, double l2Sum,
            double linfMax) {
        TreeMap<Integer, Counts> batches = attacked.computeIfAbsent(new Key(attack, layer), k -> new TreeMap<>());
        batches.put(batch, once(batches.get(batch), new Counts(samples, correct, perturbedCorrect, l2Sum, linfMax),
                attack.describe(), batch, layer));
    }

    /** Adds another tally's batches into this one. */
    public void merge(RobustnessTally other) {
        if (other.depth != depth) {
            throw new IllegalArgumentException("tallies of " + depth + " and " + other.depth + " layers");
        }
        other.clean.forEach((batch, layers) -> {
            for (int l = 1; l <= depth; l++) {
                if (layers[l - 1] != null) {
                    addClean(batch, l, layers[l - 1].correct(), layers[l - 1].samples());
                }
            }
        });
        other.attacked.forEach((key, batches) -> batches.forEach((batch, c) ->
                add(key.attack(), key.layer(), batch, c.correct(), c.perturbedCorrect(), c.samples(), c.l2Sum(), c.linfMax())));
    }

    /** Clean accuracy of layer l over the batches tallied. */
    public double cleanAccuracy(int layer) {
        long correct = 0;
        long samples = 0;
        for (Counts[] layers : clean.values()) {
            if (layers[layer - 1] != null) {
                correct += layers[layer - 1].correct();
                samples += layers[layer - 1].samples();
            }
        }
        return (double) correct / samples;
    }

    public int depth() {
        return depth;
    }

    /** One record per (attack, layer), ordered by attack name (gaussian, fgsm, pgd), parameters, strength, layer. */
    public List<RobustnessRecord> records(ClipRange clip, long seed) {
        List<RobustnessRecord> out = new ArrayList<>();
        attacked.forEach((key, batches) -> {
            long samples = 0;
            long correct = 0;
            long perturbedCorrect = 0;
            double l2Sum = 0;
            double linfMax = 0;
            for (Counts c : batches.values()) {
                samples += c.samples();
                correct += c.correct();
                perturbedCorrect += c.perturbedCorrect();
                l2Sum += c.l2Sum();
                linfMax = Math.max(linfMax, c.linfMax());
            }
            out.add(new RobustnessRecord(key.layer(), key.attack(), (double) perturbedCorrect / samples,
                    (double) correct / samples, linfMax, l2Sum / samples, samples, clip, seed));
        });
        out.sort(Comparator.comparingInt((RobustnessRecord r) -> List.of("gaussian", "fgsm", "pgd").indexOf(r.attackName()))
                .thenComparing(r -> r.attack().withStrength(0).describe())
                .thenComparingDouble(RobustnessRecord::strength)
                .thenComparingInt(RobustnessRecord::layer));
        return out;
    }

    private static Counts once(Counts known, Counts counts, String what, int batch, int layer) {
        if (known != null && !known.equals(counts)) {
            throw new IllegalStateException(what + " at layer " + layer + ": batch " + batch + " tallied twice with different counts "
                    + known + " and " + counts);
        }
        return counts;
    }
}
