package org.manifoldlab.actors.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
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

    private static final Duration PROGRESS_LINE_EVERY = Duration.ofSeconds(5);

    private final ExperimentSpec spec;
    private final RunDirectory run;
    private final TimerScheduler<Command> timers;
    private final RunJournal journal;
    private final LoadedExperiment plan;
    private final EpochLoop loop;
    private final EpochTraining training;
    private final ActorRef<ProgressLine> watcher;
    /** The analysis round whose answer is awaited: one that stops without it ends the run. */
    private ActorRef<AnalysisRound.Command> analysisRound;
    private long analysisStart;

    public static Behavior<Command> create(ExperimentSpec spec, Path runsDir, ActorRef<Outcome> replyTo) {
        return create(spec, runsDir, replyTo, LayerGroupTrainer::create);
    }

    public static Behavior<Command> create(ExperimentSpec spec, Path runsDir, ActorRef<Outcome> replyTo, LayerGroupTrainer.Factory factory) {
        return Behaviors.setup(ctx -> RunJournal.inNewDirectory(ctx, spec, runsDir, replyTo,
                run -> start(spec, run, null, replyTo, factory, null, null)));
    }

    /** Continues a run from a verified checkpoint ({@link Resume}), or starts it over in place (from null); the caller holds lock. */
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
        this.training = new EpochTraining(ctx, spec, run, plan, loop, journal, from,
                within -> ctx.messageAdapter(SnapshotCollector.Collected.class, c -> new SnapshotTaken(c, within)));
        Checkpoint last = training.last();
        journal.event("experiment-" + (from == null ? "started" : "resumed"), plan.describe(run, last.epoch()));
        ctx.getLog().info("{}: {}{}", run.id(), plan.summary(), from == null ? "" : ", resumed after epoch " + from.epoch());
        timers.startTimerWithFixedDelay(ProgressTick.INSTANCE, PROGRESS_LINE_EVERY);
        if (from != null && from.epoch() > 0 && from.position() == 0 && loop.isAnalysisPoint(from.epoch())) {
            startAnalysis(from.epoch(), plan.snapshot(from.layers()));
        }
        continueAfter(last.epoch(), plan.snapshot(last.layers()));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(TrainerReport.class, m -> orFail(training.report(m.report())))
                .onMessage(SnapshotTaken.class, this::onSnapshot)
                .onMessage(AnalysisFinished.class, this::onAnalysisFinished)
                .onMessageEquals(Rebuild.INSTANCE, () -> orFail(training.rebuild()))
                .onMessageEquals(ProgressTick.INSTANCE, this::onProgressTick)
                .onSignal(Terminated.class, this::onChildStopped)
                .onSignal(PostStop.class, signal -> {
                    journal.stopped();
                    return this;
                })
                .build();
    }

    private Behavior<Command> onSnapshot(SnapshotTaken message) {
        SnapshotCollector.Collected c = training.collected(message.collected(), message.withinEpoch());
        if (c == null) {
            return this;
        }
        if (c.failure() != null) {
            return fail(c.failure());
        }
        SnapshotCollector.Collected ready = loop.epochCollected(c);
        return ready == null ? this : completeEpoch(ready);
    }

    /** The epoch's train rows, its checkpoint, its analysis, the next epoch (in the order {@link EpochLoop} keeps). */
    private Behavior<Command> completeEpoch(SnapshotCollector.Collected c) {
        int epoch = c.epoch();
        Checkpoint state = training.epochEnded(c);
        int every = spec.checkpoint().everyEpochs();
        journal.epochTrained(epoch, state.step(), loop.ledger().metrics(), state, every > 0 && (epoch % every == 0 || loop.isLast(epoch)));
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
            training.startEpoch(epoch + 1);
        }
        return maybeFinish();
    }

    private void startAnalysis(int epoch, Network snapshot) {
        analysisStart = System.nanoTime();
        loop.analysisStarted(epoch);
        analysisRound = getContext().spawn(AnalysisRound.create(spec, epoch, snapshot, plan.data().train(), plan.data().test(), plan.probe(),
                run, journal.recorder(), getContext().messageAdapter(AnalysisRound.Finished.class, AnalysisFinished::new)), "analysis-" + epoch);
        getContext().watch(analysisRound);
    }

    private Behavior<Command> onAnalysisFinished(AnalysisFinished message) {
        analysisRound = null;
        training.analysisTook((System.nanoTime() - analysisStart) / 1e9, message.finished().attackSeconds());
        SnapshotCollector.Collected ready = loop.analysisFinished();
        if (message.finished().failure() != null) {
            return fail(message.finished().failure());
        }
        if (ready != null) {
            return completeEpoch(ready);
        }
        training.maybeStepCheckpoint();  // one that waited for this analysis's rows
        return maybeFinish();
    }

    private Behavior<Command> orFail(String reason) {
        return reason == null ? this : fail(reason);
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
        return journal.completed(loop.fingerprint(), training.restarts());
    }

    /** A watched child stopped: a trainer's failure rolls back; any other child gone before its answer ends the run. */
    private Behavior<Command> onChildStopped(Terminated stopped) {
        String cause = stopped instanceof ChildFailed f ? RunEnd.reason(f.cause()) : "stopped without an answer";
        if (plan.trainers().isStage(stopped.getRef())) {
            return stopped instanceof ChildFailed f
                    ? orFail(training.trainerFailed(f, () -> timers.startSingleTimer(Rebuild.INSTANCE, training.backoff()))) : this;
        }
        if (journal.isRecorder(stopped.getRef())) {
            plan.trainers().unwatchAll();
            return journal.recorderLost(cause);
        }
        if (stopped.getRef().equals(analysisRound)) {
            return fail("the analysis of epoch " + loop.analysing() + " failed: " + cause);
        }
        return training.isCollector(stopped.getRef()) ? fail("collecting the trainers' state failed: " + cause) : this;
    }

    private Behavior<Command> onProgressTick() {
        String line = training.progressLine();
        if (line != null) {
            getContext().getLog().info(line);
            java.util.Optional.ofNullable(watcher).ifPresent(w -> w.tell(new ProgressLine(run.id(), line)));
        }
        return this;
    }
}
