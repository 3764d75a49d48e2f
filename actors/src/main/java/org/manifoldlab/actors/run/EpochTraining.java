package org.manifoldlab.actors.run;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.manifoldlab.actors.monitor.Progress;
import org.manifoldlab.actors.training.EpochLedger;
import org.manifoldlab.actors.training.LayerGroupTrainer;
import org.manifoldlab.actors.training.SnapshotCollector;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.rundir.RunDirectory;

/**
 * The training side of one experiment, apart from the actor that routes its messages: batches
 * released through the trainer chain, local errors tallied into the epoch's ledger, the
 * trainers' state collected for checkpoints (inside an epoch and at its end), and the rollback
 * to the last checkpoint after a trainer fails. It holds that checkpoint and the restart count.
 */
final class EpochTraining {

    private static final Duration SNAPSHOT_TIMEOUT = Duration.ofMinutes(2);
    private static final int PROGRESS_EVENT_EVERY_STEPS = 50;

    private final ActorContext<ExperimentSupervisor.Command> ctx;
    private final ExperimentSpec spec;
    private final RunDirectory run;
    private final LoadedExperiment plan;
    private final EpochLoop loop;
    private final RunJournal journal;
    /** Where a collected state is told, inside an epoch (true) or at its end (false). */
    private final Function<Boolean, ActorRef<SnapshotCollector.Collected>> collectedTo;
    private final Progress progress;
    private Checkpoint last;
    private int restarts;
    private ActorRef<SnapshotCollector.Command> collector;
    private long epochStart;
    /** The ledger of the epoch the feeder went on into before the running one was collected (null: none). */
    private EpochLedger nextLedger;
    /** Whether the running epoch's end state is being (or has been) collected. */
    private boolean endCollecting;
    /** Why the epoch the feeder went on into diverged; the run fails once the running epoch is written. */
    private String divergedAhead;

    /** Restores the network from the checkpoint resumed (null for none) and spawns the first trainers. */
    EpochTraining(ActorContext<ExperimentSupervisor.Command> ctx, ExperimentSpec spec, RunDirectory run, LoadedExperiment plan, EpochLoop loop,
                  RunJournal journal, Checkpoint from, Function<Boolean, ActorRef<SnapshotCollector.Collected>> collectedTo) {
        this.ctx = ctx;
        this.spec = spec;
        this.run = run;
        this.plan = plan;
        this.loop = loop;
        this.journal = journal;
        this.collectedTo = collectedTo;
        Network network = plan.network();
        last = from == null ? Checkpoint.initial(network) : from;
        if (from != null) {
            from.restoreInto(network.layers());
            restarts = from.restarts();
        }
        plan.trainers().spawn(network, spec.faults().trainer());
        progress = new Progress(spec.training().epochs(), plan.feeder().stepsPerEpoch(), plan.feeder().step(), System.nanoTime());
    }

    Checkpoint last() {
        return last;
    }

    int restarts() {
        return restarts;
    }

    boolean isCollector(ActorRef<?> ref) {
        return ref.equals(collector);
    }

    /**
     * Starts epoch (from 1), inside it when the last checkpoint was taken there, or makes the
     * epoch the feeder went on into the running one. Returns why the run fails (that epoch
     * diverged while the one before was written), else null.
     */
    String startEpoch(int epoch) {
        endCollecting = false;
        if (nextLedger != null && nextLedger.epoch() == epoch) {
            // Its batches have been flowing since the last one's were all out.
            if (divergedAhead != null) {
                return divergedAhead;
            }
            epochStart = System.nanoTime();  // its time before this overlapped the last epoch's, which counted it
            loop.started(nextLedger);
            nextLedger = null;
            mayContinue(epoch);
            if (loop.epochComplete()) {
                endCollecting = true;
                collect(false);
            } else {
                maybeStepCheckpoint();  // the feeder may have paused inside it, and every batch released be done
            }
            return null;
        }
        nextLedger = null;
        epochStart = System.nanoTime();
        loop.started(plan.ledger(epoch, last));
        plan.feeder().startEpoch(epoch, last.position() > 0 && last.epoch() + 1 == epoch ? last.position() : 0, plan.trainers().first());
        mayContinue(epoch);
        return null;
    }

    /**
     * Lets the feeder go on into the epoch after this one without waiting for the pipeline to
     * drain and the state to be collected: the fill and drain at each epoch's end were 4-9% of an
     * epoch of 32 batches. Not when training may stop early (it might end after this epoch).
     */
    private void mayContinue(int epoch) {
        if (epoch < loop.last() && !spec.training().earlyStopping().enabled()) {
            plan.feeder().continueInto(epoch + 1, plan.trainers().first());
            noticeNextEpoch();
        }
    }

    /** The feeder has gone on into the next epoch: its reports are tallied in a ledger of their own. */
    private void noticeNextEpoch() {
        EpochLedger running = loop.ledger();
        if (nextLedger == null && running != null && plan.feeder().epoch() == running.epoch() + 1) {
            nextLedger = plan.ledger(plan.feeder().epoch(), last);
        }
    }

    /** The ledger of a report's epoch: the running one, or the one the feeder went on into. */
    private EpochLedger ledgerOf(int epoch) {
        return nextLedger != null && epoch == nextLedger.epoch() ? nextLedger : loop.ledger();
    }

    /** A trainer's report: tallied, the next batch released, a collection started when due. Returns why the run fails, or null. */
    String report(LayerGroupTrainer.Report report) {
        if (report.generation() != plan.trainers().generation()) {
            return null;  // from a replaced generation
        }
        if (report instanceof LayerGroupTrainer.LocalError e) {
            if (!Double.isFinite(e.lossSum())) {
                String diverged = "layer " + e.layer() + " loss is " + e.loss() + " at step " + e.step() + " (diverged)";
                if (e.epoch() == loop.ledger().epoch()) {
                    return diverged;
                }
                if (divergedAhead == null) {
                    divergedAhead = diverged;  // the running epoch is written first, as when epochs did not overlap
                }
            }
            ledgerOf(e.epoch()).add(e);
            progress.localError(e.layer(), e.loss(), e.accuracy());
        } else if (report instanceof LayerGroupTrainer.BatchDone d) {
            ledgerOf(d.epoch()).batchDone();
            progress.batch(d.rows());
            plan.feeder().batchDone(plan.trainers().first());
            noticeNextEpoch();
            if (d.step() % PROGRESS_EVENT_EVERY_STEPS == 0) {
                journal.event("progress", progress.report(d.epoch(), d.step(), System.nanoTime()));
            }
        }
        maybeStepCheckpoint();
        if (!endCollecting && loop.epochComplete()) {
            endCollecting = true;
            collect(false);
        }
        return null;
    }

    /** Every checkpoint.everySteps steps the feeder pauses; once the pipeline is quiet the trainers' state is collected. */
    void maybeStepCheckpoint() {
        EpochLedger running = loop.ledger();
        // While the feeder is inside the next epoch, its pause and position are that epoch's.
        if (running != null && plan.feeder().epoch() == running.epoch()
                && loop.takeStepCheckpoint(plan.feeder().paused(), plan.feeder().position())) {
            collect(true);
        }
    }

    private void collect(boolean withinEpoch) {
        int epoch = loop.ledger().epoch();
        int generation = plan.trainers().generation();
        collector = ctx.spawn(SnapshotCollector.create(epoch, !withinEpoch, generation, plan.trainers().stages(), collectedTo.apply(withinEpoch),
                SNAPSHOT_TIMEOUT),
                "snapshot-" + epoch + (withinEpoch ? "-step" + plan.feeder().step() : "") + "-gen" + generation);
        ctx.watch(collector);
    }

    /**
     * A collected state. Inside an epoch it becomes a checkpoint and the feeder resumes (null is
     * returned); a stale one is dropped (null). Otherwise the state is returned: one with a failure
     * ends the run, one at an epoch's end completes it.
     */
    SnapshotCollector.Collected collected(SnapshotCollector.Collected c, boolean withinEpoch) {
        if (withinEpoch) {
            loop.stepCheckpointTaken();
        }
        if (c.generation() != plan.trainers().generation()) {
            return null;
        }
        collector = null;
        if (c.failure() != null || !withinEpoch) {
            return c;
        }
        last = plan.withinEpoch(c, loop.ledger(), restarts);
        journal.stepCheckpoint(last, loop.ledger().epoch(), plan.feeder().step(), loop.ledger().batchesDone());
        plan.feeder().resume(plan.trainers().first());
        noticeNextEpoch();
        return null;
    }

    /** The state at the end of an epoch becomes the last checkpoint; the epoch's wall time is counted. */
    Checkpoint epochEnded(SnapshotCollector.Collected c) {
        journal.spent("training", (System.nanoTime() - epochStart) / 1e9);
        last = new Checkpoint(c.epoch(), plan.feeder().stepAtEndOf(c.epoch()), c.layers(), c.optimizerState(), c.optimizerSteps(), Map.of(),
                restarts);
        return last;
    }

    /**
     * A trainer failed: one trainer alone cannot rewind, so every trainer stops and, after
     * rebuild is called (the backoff's end), the epoch is replayed from the last checkpoint.
     * Returns why the run fails when the restarts are used up, else null.
     */
    String trainerFailed(ChildFailed failed, Runnable scheduleRebuild) {
        restarts++;
        journal.event("trainer-failed", RunRecorder.fields("trainer", failed.getRef().path().name(), "cause", String.valueOf(failed.cause()),
                "restarts", restarts, "rollbackToEpoch", last.epoch()));
        ctx.getLog().warn("{}: {} failed ({}); rolling back to the end of epoch {} (restart {} of at most {})", run.id(),
                failed.getRef().path().name(), failed.cause().getMessage(), last.epoch(), restarts, spec.checkpoint().maxRestarts());
        if (restarts > spec.checkpoint().maxRestarts()) {
            return "trainers failed " + restarts + " times (limit " + spec.checkpoint().maxRestarts() + "): " + failed.cause();
        }
        plan.trainers().stopAll();  // reports still in flight from the failed generation are dropped from now on
        nextLedger = null;
        divergedAhead = null;
        if (collector != null) {
            // Its trainers are gone, and the next generation's state is collected afresh.
            ctx.unwatch(collector);
            ctx.stop(collector);
            collector = null;
            loop.stepCheckpointTaken();
        }
        scheduleRebuild.run();
        return null;
    }

    /** Backoff before the rebuild after restart n: 100 ms doubling. */
    Duration backoff() {
        return Duration.ofMillis(100L << Math.min(restarts - 1, 6));
    }

    /** New trainers from the last checkpoint; the interrupted epoch is replayed in the same order. Returns null (it cannot fail the run). */
    String rebuild() {
        Network network = plan.network();
        last.restoreInto(network.layers());
        plan.feeder().rewind(last.step());
        plan.trainers().spawn(network, spec.faults().trainer());
        journal.event("trainers-restarted", RunRecorder.fields("generation", plan.trainers().generation(), "fromEpoch", last.epoch(),
                "step", plan.feeder().step()));
        return startEpoch(last.epoch() + 1);
    }

    /** An analysis round took seconds, attackSeconds of them in attacks: counted per phase, and in the ETA. */
    void analysisTook(double seconds, double attackSeconds) {
        journal.spent("analysis", seconds - attackSeconds);
        journal.spent("attacks", attackSeconds);
        progress.analysisDone(seconds);
    }

    /** The console's progress line, or null between epochs. */
    String progressLine() {
        EpochLedger running = loop.ledger();
        if (running == null) {
            return null;
        }
        long done = plan.feeder().step() - plan.feeder().inFlight();
        EpochLedger shown = nextLedger != null && (running.complete() || done > plan.feeder().stepAtEndOf(running.epoch()))
                ? nextLedger : running;
        if (shown.complete()) {
            return null;
        }
        return Progress.line(run.id(), progress.report(shown.epoch(), done, System.nanoTime()));
    }
}
