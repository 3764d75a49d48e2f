package org.manifoldlab.core.attack;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.manifoldlab.core.nn.Network;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns clean probe batches into perturbed ones: "perturb a batch", separate from "tally
 * accuracy" ({@link AttackEvaluator}). It drives its own frozen network (a
 * {@link Network#frozenCopy()}, never the one being trained) and preallocated buffers, so it
 * is single-threaded: one Attacker per thread or actor. What it produces depends only on the
 * frozen weights, the seed, the attack, its strength, the layer and the batch's samples, so
 * attackers that split the work still produce identical batches.
 */
public final class Attacker {

    /** Receives one perturbed batch; the array is the attacker's buffer, valid only during the call. */
    @FunctionalInterface
    public interface Sink {
        /** layer is {@link #ALL_LAYERS} for attacks that do not depend on the layer (noise). */
        void accept(Attack attack, int layer, INDArray perturbed);
    }

    /** The layer of a perturbation that is the same for every layer. */
    public static final int ALL_LAYERS = 0;

    private final InputGradient gradient;
    private final ClipRange clip;
    private final long seed;
    private final Map<Integer, Buffers> buffersByRows = new HashMap<>();
    /** The last job made: its steps use the network's activations and the buffers. */
    private Job running;

    /** Per batch size: a noise or start buffer, a gradient, the output, the label targets. */
    private static final class Buffers {
        final INDArray random;
        final INDArray grad;
        final INDArray out;
        final int[] targets;
        final int[] predicted;
        final boolean[] fooled;
        private INDArray candidate;

        Buffers(Network network, int rows) {
            long[] shape = {rows, network.inputs()};
            random = Nd4j.create(network.dataType(), shape, 'c');
            grad = Nd4j.create(network.dataType(), shape, 'c');
            out = Nd4j.create(network.dataType(), shape, 'c');
            targets = new int[rows];
            predicted = new int[rows];
            fooled = new boolean[rows];
        }

        void close() {
            random.close();
            grad.close();
            out.close();
            if (candidate != null) {
                candidate.close();
            }
        }

        /** A second output for PGD restarts, made on first use. */
        INDArray candidate() {
            if (candidate == null) {
                candidate = Nd4j.create(out.dataType(), out.shape(), 'c');
            }
            return candidate;
        }
    }

    /** @param frozen a frozen network this attacker drives alone */
    public Attacker(Network frozen, ClipRange clip, long seed) {
        this.gradient = new InputGradient(frozen);
        this.clip = clip;
        this.seed = seed;
    }

    public ClipRange clip() {
        return clip;
    }

    /** Frees this attacker's buffers and its network's (not the weights) now; it is not used after. */
    public void release() {
        buffersByRows.values().forEach(Buffers::close);
        buffersByRows.clear();
        gradient.release();
    }

    public long seed() {
        return seed;
    }

    /**
     * x' of one attack on layer l's readout into out ([rows, inputs], 'c'). For attacks that do
     * not depend on the layer, layer is ignored.
     */
    public void perturb(ProbeBatch clean, Attack attack, int layer, INDArray out) {
        requireNoJobRunning();
        Buffers b = buffers(clean);
        if (attack instanceof GaussianNoise noise) {
            GaussianNoise.drawNoise(seed, clean.first(), b.random);
            noise.perturb(clean.x(), b.random, clip, out);
        } else if (attack instanceof Fgsm fgsm) {
            gradient.forward(clean.x(), layer);
            gradient.gradient(layer, targets(clean, layer, fgsm.labelTarget(), b), b.grad);
            fgsm.perturb(clean.x(), b.grad, clip, out);
        } else {
            pgd(clean, (Pgd) attack, layer, b, out);
        }
    }

    /**
     * Every attack at every given layer (noise once, as {@link #ALL_LAYERS}), streamed to the
     * sink in this order: noise by strength; FGSM by layer, target, strength; PGD by attack,
     * layer. The batches equal {@link #perturb}'s bit for bit, with shared work: one xi for
     * every sigma, and for FGSM one clean forward for all layers and one backward per layer
     * and target for all eps. The same as running every step of {@link #job}.
     */
    public void perturbAll(ProbeBatch clean, List<? extends Attack> attacks, int[] layers, Sink sink) {
        Job job = job(clean, attacks, layers);
        while (!job.done()) {
            job.step(sink);
        }
    }

    /**
     * The work of {@link #perturbAll} in steps, for an actor that must not hold its thread for a
     * whole job (a job of the default grid is seconds of gemms): every noise strength in one step,
     * FGSM one layer a step (the first also forwards the clean batch), PGD one (attack, layer) a
     * step. Its steps run in order stream what perturbAll streams, bit for bit and in the same
     * order: they share this attacker's network and buffers, so until the job is done this
     * attacker starts no other perturbation.
     */
    public Job job(ProbeBatch clean, List<? extends Attack> attacks, int[] layers) {
        requireNoJobRunning();
        Buffers b = buffers(clean);
        List<GaussianNoise> noises = new ArrayList<>();
        List<Fgsm> fgsms = new ArrayList<>();
        List<Pgd> pgds = new ArrayList<>();
        for (Attack attack : attacks) {
            if (attack instanceof GaussianNoise noise) {
                noises.add(noise);
            } else if (attack instanceof Fgsm fgsm) {
                fgsms.add(fgsm);
            } else {
                pgds.add((Pgd) attack);
            }
        }
        Deque<Consumer<Sink>> steps = new ArrayDeque<>();
        if (!noises.isEmpty()) {
            steps.add(sink -> {
                GaussianNoise.drawNoise(seed, clean.first(), b.random);
                for (GaussianNoise noise : noises) {
                    noise.perturb(clean.x(), b.random, clip, b.out);
                    sink.accept(noise, ALL_LAYERS, b.out);
                }
            });
        }
        if (!fgsms.isEmpty() && layers.length > 0) {
            for (int i = 0; i < layers.length; i++) {
                int layer = layers[i];
                boolean first = i == 0;
                steps.add(sink -> {
                    if (first) {
                        gradient.forward(clean.x(), max(layers));
                    }
                    for (LabelTarget target : LabelTarget.values()) {
                        if (fgsms.stream().noneMatch(f -> f.labelTarget() == target)) {
                            continue;
                        }
                        gradient.gradient(layer, targets(clean, layer, target, b), b.grad);
                        for (Fgsm fgsm : fgsms) {
                            if (fgsm.labelTarget() == target) {
                                fgsm.perturb(clean.x(), b.grad, clip, b.out);
                                sink.accept(fgsm, layer, b.out);
                            }
                        }
                    }
                });
            }
        }
        for (Pgd pgd : pgds) {
            for (int layer : layers) {
                steps.add(sink -> {
                    pgd(clean, pgd, layer, b, b.out);
                    sink.accept(pgd, layer, b.out);
                });
            }
        }
        running = new Job(clean.index(), steps);
        return running;
    }

    /** One probe batch's perturbations as steps ({@link #job}); single-threaded like its attacker. */
    public static final class Job {
        private final int batch;
        private final Deque<Consumer<Sink>> steps;

        private Job(int batch, Deque<Consumer<Sink>> steps) {
            this.batch = batch;
            this.steps = steps;
        }

        /** Whether every step has run. */
        public boolean done() {
            return steps.isEmpty();
        }

        /** Steps not yet run. */
        public int stepsLeft() {
            return steps.size();
        }

        /** Runs the next step, streaming its perturbed batches to the sink (valid only during the call). */
        public void step(Sink sink) {
            if (steps.isEmpty()) {
                throw new IllegalStateException("the job on batch " + batch + " has no steps left");
            }
            steps.poll().accept(sink);
        }
    }

    private void pgd(ProbeBatch clean, Pgd pgd, int layer, Buffers b, INDArray out) {
        if (pgd.labelTarget() == LabelTarget.PREDICTION) {
            gradient.forward(clean.x(), layer);
        }
        int[] targets = targets(clean, layer, pgd.labelTarget(), b);
        if (pgd.randomStart()) {
            Pgd.drawStart(seed, layer, clean.first(), b.random);
        }
        pgd.perturb(gradient, layer, clean.x(), targets, b.random, clip, b.grad, out);
        if (pgd.restarts() > 1) {
            restarts(clean, pgd, layer, targets, b, out);
        }
    }

    /**
     * Restarts 2..k from fresh random starts: a sample the readout still classifies right keeps
     * the first restart's x' that fools it (prediction != label), so it counts as robust only
     * when every restart fails; samples already fooled keep their x'.
     */
    private void restarts(ProbeBatch clean, Pgd pgd, int layer, int[] targets, Buffers b, INDArray out) {
        int rows = clean.rows();
        gradient.forward(out, layer);
        gradient.predictions(layer, b.predicted);
        for (int r = 0; r < rows; r++) {
            b.fooled[r] = b.predicted[r] != clean.labels()[r];
        }
        INDArray candidate = b.candidate();
        for (int restart = 1; restart < pgd.restarts(); restart++) {
            Pgd.drawStart(seed, restart, layer, clean.first(), b.random);
            pgd.perturb(gradient, layer, clean.x(), targets, b.random, clip, b.grad, candidate);
            gradient.forward(candidate, layer);
            gradient.predictions(layer, b.predicted);
            for (int r = 0; r < rows; r++) {
                if (!b.fooled[r] && b.predicted[r] != clean.labels()[r]) {
                    out.putRow(r, candidate.getRow(r));
                    b.fooled[r] = true;
                }
            }
        }
    }

    private void requireNoJobRunning() {
        if (running != null && !running.done()) {
            throw new IllegalStateException("this attacker's job on batch " + running.batch + " has " + running.stepsLeft() + " steps left");
        }
    }

    /** The labels, or the clean prediction at layer l (needs the clean batch forwarded through l). */
    private int[] targets(ProbeBatch clean, int layer, LabelTarget target, Buffers b) {
        if (target == LabelTarget.LABEL) {
            return clean.labels();
        }
        gradient.predictions(layer, b.targets);
        return b.targets;
    }

    private Buffers buffers(ProbeBatch clean) {
        int rows = clean.rows();
        if (clean.x().columns() != gradient.network().inputs() || clean.x().dataType() != gradient.network().dataType()) {
            throw new IllegalArgumentException("probe batch " + clean.x().shapeInfoToString() + " does not fit a "
                    + gradient.network().dataType() + " network of " + gradient.network().inputs() + " inputs");
        }
        return buffersByRows.computeIfAbsent(rows, r -> new Buffers(gradient.network(), r));
    }

    private static int max(int[] layers) {
        int m = 0;
        for (int l : layers) {
            m = Math.max(m, l);
        }
        return m;
    }
}
