package org.manifoldlab.core.attack;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.Network;

/**
 * Accuracy per layer under a grid of attacks over a whole probe set, in a plain loop: the
 * reference the attacker and evaluator actors must reproduce. Batch by batch, an
 * {@link Attacker} perturbs and an {@link AttackEvaluator} tallies, each on its own frozen copy
 * of the network, so the caller's network (and its training buffers) are never touched.
 *
 * <p>Every layer's own readout is attacked, whatever the training mode: for a backprop-trained
 * network the row of the last layer is the usual end-to-end attack, and the others show how
 * the hidden layers' readouts fare, as for local errors.
 */
public final class RobustnessEvaluation {

    /** The default noise grid of the experiment spec (attacks.gaussian.sigmas). */
    public static final double[] DEFAULT_SIGMAS = {0, 0.1, 0.2, 0.3, 0.5, 1.0};
    /** The default FGSM grid of the experiment spec (attacks.fgsm.epsilons). */
    public static final double[] DEFAULT_EPSILONS = {0, 0.02, 0.05, 0.1, 0.2, 0.3};
    /** Rows per batch: large enough for efficient gemms, small enough for a few MB of buffers. */
    public static final int DEFAULT_BATCH = 500;

    private RobustnessEvaluation() {
    }

    /** What an evaluation measured, with what produced it. */
    public record Result(List<RobustnessRecord> records, double[] cleanAccuracy, int samples, int batchSize,
            ClipRange clip, long seed) {

        /** Clean accuracy of layer l (from 1). */
        public double clean(int layer) {
            return cleanAccuracy[layer - 1];
        }

        /** The record of (attack, layer). */
        public RobustnessRecord record(Attack attack, int layer) {
            return records.stream().filter(r -> r.attack().equals(attack) && r.layer() == layer).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no record of " + attack.describe() + " at layer " + layer));
        }
    }

    /** Gaussian noise at each sigma. */
    public static List<Attack> gaussian(double... sigmas) {
        List<Attack> out = new ArrayList<>();
        for (double s : sigmas) {
            out.add(new GaussianNoise(s));
        }
        return out;
    }

    /** FGSM at each eps, against the given label target. */
    public static List<Attack> fgsm(LabelTarget target, double... epsilons) {
        List<Attack> out = new ArrayList<>();
        for (double e : epsilons) {
            out.add(new Fgsm(e, target));
        }
        return out;
    }

    /** Every attack at every layer, clip range from the probes, batches of {@link #DEFAULT_BATCH}. */
    public static Result run(Network network, Dataset probes, List<? extends Attack> attacks, long seed) {
        int[] layers = IntStream.rangeClosed(1, network.depth()).toArray();
        return run(network, probes, attacks, layers, ClipRange.of(probes), DEFAULT_BATCH, seed);
    }

    /**
     * Every attack at each of the given layers (noise is tallied at every layer regardless).
     * The clean accuracy is measured on the same batches by the same evaluator.
     */
    public static Result run(Network network, Dataset probes, List<? extends Attack> attacks, int[] layers,
            ClipRange clip, int batchSize, long seed) {
        Attacker attacker = new Attacker(network.frozenCopy(), clip, seed);
        AttackEvaluator evaluator = new AttackEvaluator(network.frozenCopy(), clip, seed);
        for (ProbeBatch batch : ProbeBatch.split(probes, batchSize, network.dataType())) {
            evaluator.clean(batch);
            attacker.perturbAll(batch, attacks, layers,
                    (attack, layer, perturbed) -> evaluator.tally(batch, attack, layer, perturbed));
        }
        double[] clean = new double[network.depth()];
        for (int l = 1; l <= network.depth(); l++) {
            clean[l - 1] = evaluator.cleanAccuracy(l);
        }
        return new Result(evaluator.records(), clean, probes.size(), batchSize, clip, seed);
    }
}
