package org.manifoldlab.core.attack;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.manifoldlab.core.nn.LocalLayer;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.nn.SoftmaxCrossEntropy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Tallies accuracy under attack: "tally accuracy", separate from "perturb a batch"
 * ({@link Attacker}). A perturbed batch for layer l goes forward through layers 1..l and is
 * counted at B_l; a batch for {@link Attacker#ALL_LAYERS} goes through every layer and is
 * counted at every readout. Two accuracies are counted over the whole probe set: the standard
 * one (the readout is right on x') and the robust one (right on both x and x', so a sample
 * already wrong counts as wrong). The norms of
 * x' - x are measured here, from what arrives. An input bit-identical to the clean batch (zero
 * strength) takes the clean predictions without a second forward: the same ops on the same
 * input give the same bits, so the counts are those a forward would give. Drives its own frozen
 * network; single-threaded. One evaluator serves one probe set (it remembers each batch's clean
 * predictions by batch index).
 */
public final class AttackEvaluator {

    private final Network network;
    private final ClipRange clip;
    private final long seed;
    private final RobustnessTally tally;
    private final Map<Integer, boolean[][]> cleanCorrectByBatch = new HashMap<>();
    private final Map<Integer, Buffers> buffersByRows = new HashMap<>();
    private boolean reuseCleanForUnchangedInput = true;

    private static final class Buffers {
        final INDArray logits;
        final int[] predictions;
        final boolean[] right;
        final double[] l2;
        final double[] linf;

        Buffers(Network network, int rows) {
            logits = Nd4j.create(network.dataType(), new long[] {rows, network.classes()}, 'c');
            predictions = new int[rows];
            right = new boolean[rows];
            l2 = new double[rows];
            linf = new double[rows];
        }
    }

    /**
     * @param frozen a frozen network this evaluator drives alone
     * @param clip   the clip range the attacks used (for the records)
     * @param seed   the seed the attacks used (for the records)
     */
    public AttackEvaluator(Network frozen, ClipRange clip, long seed) {
        this.network = InputGradient.requireFrozen(frozen);
        this.clip = clip;
        this.seed = seed;
        this.tally = new RobustnessTally(frozen.depth());
    }

    /** Counts one perturbed batch (layer from 1, or {@link Attacker#ALL_LAYERS}).  perturbed: [rows, inputs]. */
    public void tally(ProbeBatch clean, Attack attack, int layer, INDArray perturbed) {
        if (perturbed.rows() != clean.rows() || perturbed.columns() != clean.x().columns()) {
            throw new IllegalArgumentException("perturbed batch " + perturbed.shapeInfoToString() + " does not match its clean batch");
        }
        boolean[][] cleanCorrect = cleanCorrect(clean);
        Buffers b = buffers(clean.rows());
        Elementwise.differenceNorms(clean.x(), perturbed, b.l2, b.linf);
        double l2Sum = 0;
        double linfMax = 0;
        for (int r = 0; r < clean.rows(); r++) {
            l2Sum += b.l2[r];
            linfMax = Math.max(linfMax, b.linf[r]);
        }
        int last = layer == Attacker.ALL_LAYERS ? network.depth() : layer;
        if (last < 1 || last > network.depth()) {
            throw new IllegalArgumentException("layer " + layer + " outside 1.." + network.depth());
        }
        boolean unchanged = reuseCleanForUnchangedInput && linfMax == 0 && Elementwise.identical(clean.x(), perturbed);
        INDArray h = perturbed;
        for (int l = 1; l <= last; l++) {
            boolean counted = l == last || layer == Attacker.ALL_LAYERS;
            boolean[] right = cleanCorrect[l - 1];
            if (!unchanged) {
                h = network.layer(l).forward(h);
                if (counted) {
                    predict(network.layer(l), b);
                    right = b.right;
                    for (int r = 0; r < clean.rows(); r++) {
                        right[r] = b.predictions[r] == clean.labels()[r];
                    }
                }
            }
            if (counted) {
                int correct = 0;
                int perturbedCorrect = 0;
                for (int r = 0; r < clean.rows(); r++) {
                    perturbedCorrect += right[r] ? 1 : 0;
                    correct += right[r] && cleanCorrect[l - 1][r] ? 1 : 0;
                }
                tally.add(attack, l, clean.index(), correct, perturbedCorrect, clean.rows(), l2Sum, linfMax);
            }
        }
    }

    /**
     * Whether an input bit-identical to its clean batch reuses the clean predictions (the
     * default) or goes forward again; tests turn it off to check that both agree.
     */
    void reuseCleanForUnchangedInput(boolean reuse) {
        this.reuseCleanForUnchangedInput = reuse;
    }

    /** Frees the logits buffers and the network's layer buffers (not its weights) now; not used after. */
    public void release() {
        buffersByRows.values().forEach(b -> b.logits.close());
        buffersByRows.clear();
        network.releaseBuffers();
    }

    /** Tallies the clean accuracy of a batch at every layer (once a batch; tally does it when needed). */
    public void clean(ProbeBatch clean) {
        cleanCorrect(clean);
    }

    /** The counts so far (live). */
    public RobustnessTally counts() {
        return tally;
    }

    /** One record per (attack, layer) tallied so far. */
    public List<RobustnessRecord> records() {
        return tally.records(clip, seed);
    }

    /** Clean accuracy of layer l over the batches seen. */
    public double cleanAccuracy(int layer) {
        return tally.cleanAccuracy(layer);
    }

    /** Whether each layer's readout gets each clean sample right: [layer - 1][row], computed once a batch. */
    private boolean[][] cleanCorrect(ProbeBatch clean) {
        boolean[][] known = cleanCorrectByBatch.get(clean.index());
        if (known != null) {
            return known;
        }
        Buffers b = buffers(clean.rows());
        boolean[][] correct = new boolean[network.depth()][clean.rows()];
        INDArray h = clean.x();
        for (LocalLayer layer : network.layers()) {
            h = layer.forward(h);
            predict(layer, b);
            int count = 0;
            for (int r = 0; r < clean.rows(); r++) {
                correct[layer.index() - 1][r] = b.predictions[r] == clean.labels()[r];
                count += correct[layer.index() - 1][r] ? 1 : 0;
            }
            tally.addClean(clean.index(), layer.index(), count, clean.rows());
        }
        cleanCorrectByBatch.put(clean.index(), correct);
        return correct;
    }

    /** argmax(B_l h_l) of the layer's last forward into b.predictions. */
    private static void predict(LocalLayer layer, Buffers b) {
        layer.readout().logits(layer.output(), b.logits);
        SoftmaxCrossEntropy.argmax(b.logits, b.predictions);
    }

    private Buffers buffers(int rows) {
        return buffersByRows.computeIfAbsent(rows, r -> new Buffers(network, r));
    }
}
