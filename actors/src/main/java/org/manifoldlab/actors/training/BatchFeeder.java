package org.manifoldlab.actors.training;

import org.apache.pekko.actor.typed.ActorRef;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.spectrum.SpectralPenalty;

/**
 * The head of the training pipeline: releases an epoch's batches, in the order drawn from
 * (seed, epoch), to the first trainer, with credit-based flow control: at most {@code window}
 * batches are in flight; each batch that leaves the last stage returns a credit.
 */
public final class BatchFeeder {

    private final Dataset train;
    private final long seed;
    private final int batchSize;
    private final int window;
    private final int everySteps;
    private final SpectralPenalty.Settings penalty;
    private boolean paused;
    private int epoch;
    private int[] order;
    private int nextBatch;
    private int inFlight;
    private long step;
    /** The epoch to go on into once this one's batches are all released (0: stop at its end). */
    private int next;

    /**
     * @param step       the global step already done (0 for a fresh run; a checkpoint's step when resuming)
     * @param everySteps pause after every this many global steps inside an epoch, for a checkpoint (0: never)
     */
    public BatchFeeder(Dataset train, long seed, int batchSize, int window, long step, int everySteps) {
        this(train, seed, batchSize, window, step, everySteps, null);
    }

    /** @param penalty the spectral penalty, whose batch joins the steps it applies at (null: off) */
    public BatchFeeder(Dataset train, long seed, int batchSize, int window, long step, int everySteps,
                       SpectralPenalty.Settings penalty) {
        this.penalty = penalty;
        this.train = train;
        this.seed = seed;
        this.batchSize = batchSize;
        this.window = window;
        this.step = step;
        this.everySteps = everySteps;
    }

    public int stepsPerEpoch() {
        return (train.size() + batchSize - 1) / batchSize;
    }

    /** Starts an epoch (numbered from 1) at batch {@code fromBatch} (0, or a checkpoint's position) and releases. */
    public void startEpoch(int newEpoch, int fromBatch, ActorRef<LayerGroupTrainer.Command> first) {
        epoch = newEpoch;
        order = train.epochOrder(seed, epoch);
        nextBatch = fromBatch;
        inFlight = 0;
        paused = false;
        next = 0;
        release(first);
    }

    /**
     * Lets the feeder go on into epoch {@code following} as soon as the current epoch's last batch
     * is released, instead of letting the pipeline drain: each trainer trains its batches in
     * order either way, and keeps its end-of-epoch state until it is collected. Releases now if
     * the current epoch's batches are all out already.
     */
    public void continueInto(int following, ActorRef<LayerGroupTrainer.Command> first) {
        if (following != epoch + 1) {
            throw new IllegalArgumentException("epoch " + following + " does not follow " + epoch);
        }
        next = following;
        release(first);
    }

    /** The epoch whose batches are being released. */
    public int epoch() {
        return epoch;
    }

    /** The global step after the last batch of an epoch (its checkpoint's step): every epoch has the same steps. */
    public long stepAtEndOf(int finished) {
        return (long) finished * stepsPerEpoch();
    }

    /** Paused after a step that is a multiple of everySteps, until {@link #resume}. */
    public boolean paused() {
        return paused;
    }

    public void resume(ActorRef<LayerGroupTrainer.Command> first) {
        paused = false;
        release(first);
    }

    /** Batches of the current epoch released so far. */
    public int position() {
        return nextBatch;
    }

    /** A batch left the pipeline: its credit lets the next one in. */
    public void batchDone(ActorRef<LayerGroupTrainer.Command> first) {
        inFlight--;
        release(first);
    }

    private void release(ActorRef<LayerGroupTrainer.Command> first) {
        while (!paused && inFlight < window) {
            if (nextBatch * batchSize >= train.size()) {
                if (next == 0) {
                    return;
                }
                epoch = next;
                next = 0;
                order = train.epochOrder(seed, epoch);
                nextBatch = 0;
                continue;
            }
            LayerGroupTrainer.Forward batch = batch(train, order, nextBatch * batchSize, batchSize, ++step, epoch);
            if (penalty != null && penalty.appliesAt(step)) {
                int[] rows = SpectralPenalty.batchRows(seed, step, train.size(), penalty.batch());
                batch = batch.withPenaltyInput(batch(train, rows, 0, rows.length, step, epoch).input());
            }
            first.tell(batch);
            nextBatch++;
            inFlight++;
            paused = everySteps > 0 && step % everySteps == 0 && nextBatch < stepsPerEpoch();
        }
    }

    /** Batch {@code order[from .. from + batchSize)} as a message: inputs in 'c' order, as core's Batch holds them. */
    static LayerGroupTrainer.Forward batch(Dataset train, int[] order, int from, int batchSize, long step, int epoch) {
        int rows = Math.min(batchSize, train.size() - from);
        int features = train.features();
        float[] x = new float[rows * features];
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            train.copyFeatures(order[from + r], x, r * features);
            labels[r] = train.label(order[from + r]);
        }
        return new LayerGroupTrainer.Forward(step, epoch, new Activations(x, rows, features, 'c'), labels);
    }

    /** Rewinds the global step (a rollback to a checkpoint). */
    public void rewind(long toStep) {
        step = toStep;
        inFlight = 0;
        next = 0;
    }

    /** Global steps released so far. */
    public long step() {
        return step;
    }

    /** Steps released but not yet through the pipeline. */
    public int inFlight() {
        return inFlight;
    }
}
