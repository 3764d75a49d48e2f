package org.manifoldlab.actors.training;

import org.apache.pekko.actor.typed.ActorRef;
import org.manifoldlab.actors.run.ExperimentPlan;
import org.manifoldlab.core.data.Dataset;

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
    private int epoch;
    private int[] order;
    private int nextBatch;
    private int inFlight;
    private long step;

    /** @param step the global step already done (0 for a fresh run; a checkpoint's step when resuming) */
    public BatchFeeder(Dataset train, long seed, int batchSize, int window, long step) {
        this.train = train;
        this.seed = seed;
        this.batchSize = batchSize;
        this.window = window;
        this.step = step;
    }

    public int stepsPerEpoch() {
        return (train.size() + batchSize - 1) / batchSize;
    }

    /** Starts an epoch (numbered from 1) and releases its first batches. */
    public void startEpoch(int newEpoch, ActorRef<LayerGroupTrainer.Command> first) {
        epoch = newEpoch;
        order = train.epochOrder(seed, epoch);
        nextBatch = 0;
        inFlight = 0;
        release(first);
    }

    /** A batch left the pipeline: its credit lets the next one in. */
    public void batchDone(ActorRef<LayerGroupTrainer.Command> first) {
        inFlight--;
        release(first);
    }

    private void release(ActorRef<LayerGroupTrainer.Command> first) {
        while (inFlight < window && nextBatch * batchSize < train.size()) {
            first.tell(ExperimentPlan.batch(train, order, nextBatch * batchSize, batchSize, ++step, epoch));
            nextBatch++;
            inFlight++;
        }
    }

    /** Rewinds the global step (a rollback to a checkpoint). */
    public void rewind(long toStep) {
        step = toStep;
        inFlight = 0;
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
