package org.manifoldlab.actors.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.manifoldlab.actors.analysis.AnalysisRound;
import org.manifoldlab.actors.monitor.Progress;
import org.manifoldlab.actors.monitor.RunMdc;
import org.manifoldlab.actors.training.LayerGroupTrainer;
import org.manifoldlab.actors.training.SnapshotCollector;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.core.Kernels;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.rundir.RunDirectory;
import org.manifoldlab.rundir.RunEnd;
import org.manifoldlab.rundir.RunLock;

/**
 * One experiment: routes the messages of its trainers (one per layer group, chained), snapshot
 * collectors and analysis rounds to the {@link EpochLoop} that orders them, and what they
 * produce to the {@link RunJournal} that writes the run directory. The state at the end of the
 * last epoch is kept as a checkpoint: when a trainer fails, every trainer is replaced from it
 * and the epoch is replayed in the same order, so a fault changes no result. Any other child
 * that fails or stops before answering ends the run failed, with the reason.
 */
public final class ExperimentSupervisor extends AbstractBehavior<ExperimentSupervisor.Command> {

    public sealed interface Command {
    }

    private record TrainerReport(LayerGroupTrainer.Report report) implements Command {
    }

    private record SnapshotTaken(SnapshotCollector.Collected collected, boolean withinEpoch) implements Command {
    }

    private record AnalysisFinished(AnalysisRound.Finished finished) implements Command {
    }

    private enum Rebuild implements Command { INSTANCE }

    private enum ProgressTick implements Command { INSTANCE }

    /** How an experiment ended. */
    public record Outcome(String id, String name, Path runDir, boolean completed, String fingerprint, String reason) {
    }

    /** The console progress line, also told to a watcher when one is given (the cluster's coordinator). */
    public record ProgressLine(String id, String line) {
    }

    private static final Duration SNAPSHOT_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration PROGRESS_LINE_EVERY = Duration.ofSeconds(5);
    private static final int PROGRESS_EVENT_EVERY_STEPS = 50;

    private final ExperimentSpec spec;
    private final RunDirectory run;
    private final TimerScheduler<Command> timers;
    private final RunJournal journal;
    private final LoadedExperiment plan;
    private final EpochLoop loop;
    private final ActorRef<ProgressLine> watcher;
    private Checkpoint last;
    private int restarts;
    private Progress progress;
    /** The one-off children whose answer is awaited: one that stops without it ends the run. */
    private ActorRef<AnalysisRound.Command> analysisRound;
    private ActorRef<SnapshotCollector.Command> snapshotCollector;
    private long phaseStart;
    private long analysisStart;

    public static Behavior<Command> create(ExperimentSpec spec, Path runsDir, ActorRef<Outcome> replyTo) {
        return create(spec, runsDir, replyTo, LayerGroupTrainer::create);
    }

    public static Behavior<Command> create(ExperimentSpec spec, Path runsDir, ActorRef<Outcome> replyTo, LayerGroupTrainer.Factory factory) {
        return Behaviors.setup(ctx -> {
            try {
                return start(spec, RunDirectory.create(runsDir, spec.name()), null, replyTo, factory, null, null);
            } catch (IOException e) {
                String reason = "cannot make a run directory in " + runsDir + ": " + RunEnd.reason(e);
                ctx.getLog().error("{}: {}", spec.name(), reason);
                replyTo.tell(new Outcome(spec.name(), spec.name(), runsDir, false, "", reason));
                return Behaviors.stopped();
            }
        });
    }

    /**
     * Continues a run from a verified checkpoint (see {@link Resume}; the metrics are already cut
     * back to it), or starts it over in place when from is null; lock is the run's, held by the caller.
     */
    public static Behavior<Command> resume(ExperimentSpec spec, RunDirectory run, Checkpoint from, ActorRef<Outcome> replyTo, RunLock lock) {
        return start(spec, run, from, replyTo, LayerGroupTrainer::create, null, lock);
    }

    /**
     * Starts a run in a directory made for it beforehand: fresh when from is null, else from that
     * verified checkpoint. A failure to start (bad data, a full disk) ends the run failed with
     * the reason; a stop from outside (the process shutting down) leaves it interrupted.
     *
     * @param watcher also receives the progress lines (may be null)
     * @param lock    the run directory's lock when the caller holds it already, else null: it is taken here
     */
    public static Behavior<Command> start(ExperimentSpec spec, RunDirectory run, Checkpoint from, ActorRef<Outcome> replyTo,
                                          LayerGroupTrainer.Factory factory, ActorRef<ProgressLine> watcher, RunLock lock) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> RunMdc.around(Command.class, run.id(), run.root(),
                () -> RunJournal.start(ctx, spec, run, from, replyTo, lock,
                        owned -> new ExperimentSupervisor(ctx, timers, spec, run, from, replyTo, factory, watcher, owned)))));
    }

    private ExperimentSupervisor(ActorContext<Command> ctx, TimerScheduler<Command> timers, ExperimentSpec spec, RunDirectory run,
                                 Checkpoint from, ActorRef<Outcome> replyTo, LayerGroupTrainer.Factory factory,
                                 ActorRef<ProgressLine> watcher, RunLock lock) throws IOException {
        super(ctx);
        Kernels.singleThreaded();  // one compute thread per core, one kernel thread per compute thread
        this.spec = spec;
        this.run = run;
        this.timers = timers;
        this.watcher = watcher;
        this.journal = new RunJournal(ctx, spec, run, from == null ? 0 : from.epoch(), replyTo, lock);
        this.plan = new LoadedExperiment(ctx, spec, from, factory, ctx.messageAdapter(LayerGroupTrainer.Report.class, TrainerReport::new));
        this.loop = new EpochLoop(spec.training().epochs(), spec.analysis().everyEpochs());
        Network network = plan.network();
        last = from == null ? Checkpoint.initial(network) : from;
        if (from != null) {
            from.restoreInto(network.layers());
            restarts = from.restarts();
        }
        journal.event("experiment-" + (from == null ? "started" : "resumed"), plan.describe(run, last.epoch()));
        ctx.getLog().info("{}: {}{}", run.id(), plan.summary(), from == null ? "" : ", resumed after epoch " + from.epoch());
        plan.trainers().spawn(network, spec.faults().trainer());
        progress = new Progress(spec.training().epochs(), plan.feeder().stepsPerEpoch(), plan.feeder().step(), System.nanoTime());
        timers.startTimerWithFixedDelay(ProgressTick.INSTANCE, PROGRESS_LINE_EVERY);
        if (from != null && from.epoch() > 0 && from.position() == 0 && loop.isAnalysisPoint(from.epoch())) {
            startAnalysis(from.epoch(), plan.snapshot(from.layers()));
        }
        continueAfter(last.epoch(), plan.snapshot(last.layers()));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(TrainerReport.class, this::onReport)
                .onMessage(SnapshotTaken.class, this::onSnapshot)
                .onMessage(AnalysisFinished.class, this::onAnalysisFinished)
                .onMessageEquals(Rebuild.INSTANCE, this::onRebuild)
                .onMessageEquals(ProgressTick.INSTANCE, this::onProgressTick)
                .onSignal(Terminated.class, this::onChildStopped)
                .onSignal(PostStop.class, signal -> {
                    journal.stopped();
                    return this;
                })
                .build();
    }

    private void startEpoch(int epoch) {
        phaseStart = System.nanoTime();
        loop.started(plan.ledger(epoch, last));
        plan.feeder().startEpoch(epoch, last.position() > 0 && last.epoch() + 1 == epoch ? last.position() : 0, plan.trainers().first());
    }

    private Behavior<Command> onReport(TrainerReport message) {
        LayerGroupTrainer.Report report = message.report();
        if (report.generation() != plan.trainers().generation()) {
            return this;  // from a replaced generation
        }
        if (report instanceof LayerGroupTrainer.LocalError e) {
            if (!Double.isFinite(e.lossSum())) {
                return fail("layer " + e.layer() + " loss is " + e.loss() + " at step " + e.step() + " (diverged)");
            }
            loop.ledger().add(e);
            progress.localError(e.layer(), e.loss(), e.accuracy());
        } else if (report instanceof LayerGroupTrainer.BatchDone d) {
            loop.ledger().batchDone();
            progress.batch(d.rows());
            plan.feeder().batchDone(plan.trainers().first());
            if (d.step() % PROGRESS_EVENT_EVERY_STEPS == 0) {
                journal.event("progress", progress.report(loop.ledger().epoch(), d.step(), System.nanoTime()));
            }
        }
        maybeStepCheckpoint();
        if (loop.epochComplete()) {
            collect(false);
        }
        return this;
    }

    /** Every checkpoint.everySteps steps the feeder pauses; once the pipeline is quiet the trainers' state is collected. */
    private void maybeStepCheckpoint() {
        if (loop.takeStepCheckpoint(plan.feeder().paused(), plan.feeder().position())) {
            collect(true);
        }
    }

    private void collect(boolean withinEpoch) {
        int epoch = loop.ledger().epoch();
        int generation = plan.trainers().generation();
        snapshotCollector = getContext().spawn(SnapshotCollector.create(epoch, generation, plan.trainers().stages(),
                        getContext().messageAdapter(SnapshotCollector.Collected.class, c -> new SnapshotTaken(c, withinEpoch)), SNAPSHOT_TIMEOUT),
                "snapshot-" + epoch + (withinEpoch ? "-step" + plan.feeder().step() : "") + "-gen" + generation);
        getContext().watch(snapshotCollector);
    }

    private Behavior<Command> onSnapshot(SnapshotTaken message) {
        SnapshotCollector.Collected c = message.collected();
        if (message.withinEpoch()) {
            loop.stepCheckpointTaken();
        }
        if (c.generation() != plan.trainers().generation()) {
            return this;
        }
        snapshotCollector = null;
        if (c.failure() != null) {
            return fail(c.failure());
        }
        if (message.withinEpoch()) {
            last = plan.withinEpoch(c, loop.ledger(), restarts);
            journal.stepCheckpoint(last, loop.ledger().epoch(), plan.feeder().step(), loop.ledger().batchesDone());
            plan.feeder().resume(plan.trainers().first());
            return this;
        }
        SnapshotCollector.Collected ready = loop.epochCollected(c);
        return ready == null ? this : completeEpoch(ready);
    }

    /** The epoch's train rows, its checkpoint, its analysis, the next epoch (in the order {@link EpochLoop} keeps). */
    private Behavior<Command> completeEpoch(SnapshotCollector.Collected c) {
        int epoch = c.epoch();
        journal.spent("training", (System.nanoTime() - phaseStart) / 1e9);
        long step = plan.feeder().step();
        last = new Checkpoint(epoch, step, c.layers(), c.optimizerState(), c.optimizerSteps(), Map.of(), restarts);
        int every = spec.checkpoint().everyEpochs();
        journal.epochTrained(epoch, step, loop.ledger().metrics(), last, every > 0 && (epoch % every == 0 || loop.isLast(epoch)));
        getContext().getLog().info("{}: epoch {}/{} trained, {}", run.id(), epoch, spec.training().epochs(),
                Progress.epochSummary(loop.ledger().metrics()));
        Network snapshot = plan.snapshot(c.layers());
        if (loop.isAnalysisPoint(epoch)) {
            startAnalysis(epoch, snapshot);
        }
        return continueAfter(epoch, snapshot);
    }

    private Behavior<Command> continueAfter(int epoch, Network snapshot) {
        if (loop.isLast(epoch)) {
            loop.trained(snapshot.fingerprint());
        } else {
            startEpoch(epoch + 1);
        }
        return maybeFinish();
    }

    private void startAnalysis(int epoch, Network snapshot) {
        analysisStart = System.nanoTime();
        loop.analysisStarted(epoch);
        analysisRound = getContext().spawn(AnalysisRound.create(spec, epoch, snapshot, plan.data().train(), plan.data().test(), plan.probe(), run, journal.recorder(),
                getContext().messageAdapter(AnalysisRound.Finished.class, AnalysisFinished::new)), "analysis-" + epoch);
        getContext().watch(analysisRound);
    }

    private Behavior<Command> onAnalysisFinished(AnalysisFinished message) {
        analysisRound = null;
        journal.spent("analysis", (System.nanoTime() - analysisStart) / 1e9 - message.finished().attackSeconds());
        progress.analysisDone((System.nanoTime() - analysisStart) / 1e9);
        journal.spent("attacks", message.finished().attackSeconds());
        SnapshotCollector.Collected ready = loop.analysisFinished();
        if (message.finished().failure() != null) {
            return fail(message.finished().failure());
        }
        if (ready != null) {
            return completeEpoch(ready);
        }
        maybeStepCheckpoint();  // one that waited for this analysis's rows
        return maybeFinish();
    }

    /** Ends the run failed; trainers that stop meanwhile are no longer a rollback. */
    private Behavior<Command> fail(String reason) {
        plan.trainers().unwatchAll();
        return journal.failed(reason);
    }

    private Behavior<Command> maybeFinish() {
        if (!loop.finished()) {
            return this;
        }
        plan.trainers().unwatchAll();
        return journal.completed(loop.fingerprint(), restarts);
    }

    /** A watched child stopped: a trainer's failure rolls back; any other child gone before its answer ends the run. */
    private Behavior<Command> onChildStopped(Terminated stopped) {
        String cause = stopped instanceof ChildFailed f ? RunEnd.reason(f.cause()) : "stopped without an answer";
        if (plan.trainers().isStage(stopped.getRef())) {
            return stopped instanceof ChildFailed f ? onTrainerFailed(f) : this;
        }
        if (journal.isRecorder(stopped.getRef())) {
            plan.trainers().unwatchAll();
            return journal.recorderLost(cause);
        }
        if (stopped.getRef().equals(analysisRound)) {
            return fail("the analysis of epoch " + loop.analysing() + " failed: " + cause);
        }
        if (stopped.getRef().equals(snapshotCollector)) {
            return fail("collecting the trainers' state failed: " + cause);
        }
        return this;
    }

    private Behavior<Command> onTrainerFailed(ChildFailed failed) {
        restarts++;
        journal.event("trainer-failed", RunRecorder.fields("trainer", failed.getRef().path().name(), "cause", String.valueOf(failed.cause()),
                "restarts", restarts, "rollbackToEpoch", last.epoch()));
        getContext().getLog().warn("{}: {} failed ({}); rolling back to the end of epoch {} (restart {} of at most {})", run.id(),
                failed.getRef().path().name(), failed.cause().getMessage(), last.epoch(), restarts, spec.checkpoint().maxRestarts());
        if (restarts > spec.checkpoint().maxRestarts()) {
            return fail("trainers failed " + restarts + " times (limit " + spec.checkpoint().maxRestarts() + "): " + failed.cause());
        }
        plan.trainers().stopAll();  // reports still in flight from the failed generation are dropped from now on
        timers.startSingleTimer(Rebuild.INSTANCE, Duration.ofMillis(100L << Math.min(restarts - 1, 6)));
        return this;
    }

    /** New trainers from the last checkpoint; the interrupted epoch is replayed in the same order. */
    private Behavior<Command> onRebuild() {
        Network network = plan.network();
        last.restoreInto(network.layers());
        plan.feeder().rewind(last.step());
        plan.trainers().spawn(network, spec.faults().trainer());
        journal.event("trainers-restarted", RunRecorder.fields("generation", plan.trainers().generation(), "fromEpoch", last.epoch(),
                "step", plan.feeder().step()));
        startEpoch(last.epoch() + 1);
        return this;
    }

    private Behavior<Command> onProgressTick() {
        if (loop.ledger() != null && !loop.epochComplete()) {
            String line = Progress.line(run.id(), progress.report(loop.ledger().epoch(),
                    plan.feeder().step() - plan.feeder().inFlight(), System.nanoTime()));
            getContext().getLog().info(line);
            if (watcher != null) {
                watcher.tell(new ProgressLine(run.id(), line));
            }
        }
        return this;
    }
}
