package org.manifoldlab.actors.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
import org.manifoldlab.actors.Compute;
import org.manifoldlab.actors.analysis.AnalysisRound;
import org.manifoldlab.actors.monitor.Progress;
import org.manifoldlab.actors.monitor.RunMdc;
import org.manifoldlab.actors.training.LayerGroupTrainer;
import org.manifoldlab.actors.training.SnapshotCollector;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.core.Kernels;
import org.manifoldlab.core.nn.LayerMetrics;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.rundir.Columns;
import org.manifoldlab.rundir.Csv;
import org.manifoldlab.rundir.CsvTable;
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

    private record Validated(ValidationPass.Done done) implements Command {
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
    /** The early-stopping rule, or null when training.earlyStopping is off. */
    private final EarlyStopping stopping;
    /** The validation pass whose answer is awaited, and the epoch's state that waits for it. */
    private ActorRef<Void> validationPass;
    private SnapshotCollector.Collected validating;

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
        this.stopping = spec.training().earlyStopping().enabled() ? new EarlyStopping(spec.training().earlyStopping()) : null;
        Checkpoint last = training.last();
        if (stopping != null && last.epoch() > 0 && replayValidation(last.epoch())) {
            loop.stopAfter(last.epoch());
        }
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
                .onMessage(Validated.class, this::onValidated)
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

    /** An epoch's state: first its validation pass, when the spec holds a validation set out; then {@link #finishEpoch}. */
    private Behavior<Command> completeEpoch(SnapshotCollector.Collected c) {
        if (plan.validation() == null) {
            return finishEpoch(c, null);
        }
        validating = c;
        validationPass = getContext().spawn(ValidationPass.create(plan.snapshot(c.layers()), plan.validation(), c.epoch(),
                getContext().messageAdapter(ValidationPass.Done.class, Validated::new)), "validation-" + c.epoch() + "-gen" + c.generation(),
                Compute.dispatcher());
        getContext().watch(validationPass);
        return this;
    }

    private Behavior<Command> onValidated(Validated message) {
        if (validating == null) {
            return this;  // a pass whose epoch a trainer's failure dropped, answering before it stopped
        }
        getContext().unwatch(validationPass);
        validationPass = null;
        SnapshotCollector.Collected c = validating;
        validating = null;
        return finishEpoch(c, message.done().metrics().layers());
    }

    /**
     * The epoch's train and validation rows, the early-stopping decision, its checkpoint, its
     * analysis, the next epoch (in the order {@link EpochLoop} keeps).
     */
    private Behavior<Command> finishEpoch(SnapshotCollector.Collected c, List<LayerMetrics> validation) {
        int epoch = c.epoch();
        Checkpoint state = training.epochEnded(c);
        if (stopping != null && stopping.observe(validation) && !loop.isLast(epoch)) {
            loop.stopAfter(epoch);
            journal.event("early-stopped", RunRecorder.fields("epoch", epoch, "patience", spec.training().earlyStopping().patience(),
                    "monitor", spec.training().earlyStopping().monitor().key()));
            getContext().getLog().info("{}: {} did not improve for {} epoch(s): training stops after epoch {} of at most {}",
                    run.id(), stopping.monitored(), stopping.withoutImprovement(), epoch, spec.training().epochs());
        }
        int every = spec.checkpoint().everyEpochs();
        journal.epochTrained(epoch, state.step(), loop.ledger().metrics(), validation, state,
                every > 0 && (epoch % every == 0 || loop.isLast(epoch)));
        getContext().getLog().info("{}: epoch {}/{} trained, {}{}", run.id(), epoch, spec.training().epochs(),
                Progress.epochSummary(loop.ledger().metrics()), validation == null ? "" : "; validation " + Progress.epochSummary(validation));
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
            String diverged = training.startEpoch(epoch + 1);
            if (diverged != null) {
                return fail(diverged);
            }
        }
        return maybeFinish();
    }

    private void startAnalysis(int epoch, Network snapshot) {
        analysisStart = System.nanoTime();
        loop.analysisStarted(epoch);
        analysisRound = getContext().spawn(AnalysisRound.create(spec, epoch, loop.isLast(epoch), snapshot, plan.data().train(), plan.data().test(), plan.probe(),
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
        return journal.completed(loop.last(), loop.fingerprint(), training.restarts());
    }

    /**
     * A trainer failed while an epoch's collected state waited to be written (for the analysis
     * before it, or in its validation pass): the next epoch was already training. The rollback
     * replays that epoch from the last checkpoint, so the held state is dropped, not written.
     */
    private void dropHeldEpoch() {
        if (validationPass != null) {
            getContext().unwatch(validationPass);
            getContext().stop(validationPass);
            validationPass = null;
            validating = null;
        }
        loop.dropWaiting();
    }

    /** A watched child stopped: a trainer's failure rolls back; any other child gone before its answer ends the run. */
    private Behavior<Command> onChildStopped(Terminated stopped) {
        String cause = stopped instanceof ChildFailed f ? RunEnd.reason(f.cause()) : "stopped without an answer";
        if (plan.trainers().isStage(stopped.getRef())) {
            if (!(stopped instanceof ChildFailed f)) {
                return this;
            }
            dropHeldEpoch();
            return orFail(training.trainerFailed(f, () -> timers.startSingleTimer(Rebuild.INSTANCE, training.backoff())));
        }
        if (journal.isRecorder(stopped.getRef())) {
            plan.trainers().unwatchAll();
            return journal.recorderLost(cause);
        }
        if (stopped.getRef().equals(validationPass)) {
            return fail("the validation pass of epoch " + validating.epoch() + " failed: " + cause);
        }
        if (stopped.getRef().equals(analysisRound)) {
            return fail("the analysis of epoch " + loop.analysing() + " failed: " + cause);
        }
        return training.isCollector(stopped.getRef()) ? fail("collecting the trainers' state failed: " + cause) : this;
    }

    /**
     * A resumed run's validation history: the rows of epochs 1..through already in train.csv
     * (the checkpoint counted them) fed to the rule again. True when the rule stopped training
     * at epoch through; a rule that stopped earlier means the rows do not belong to this run.
     */
    private boolean replayValidation(int through) throws IOException {
        java.util.TreeMap<Integer, List<LayerMetrics>> byEpoch = new java.util.TreeMap<>();
        if (java.nio.file.Files.exists(run.trainCsv())) {
            CsvTable t = CsvTable.read(run.trainCsv(), List.of(Columns.EPOCH, Columns.LAYER, Columns.SPLIT, Columns.LOSS, Columns.ACCURACY,
                    Columns.SAMPLES));
            for (int r = 0; r < t.size(); r++) {
                Csv.TrainRow row = Csv.TrainRow.read(t, r);
                if (row.split().equals("validation") && row.epoch() <= through) {
                    byEpoch.computeIfAbsent(row.epoch(), e -> new java.util.ArrayList<>())
                            .add(new LayerMetrics(row.layer(), row.loss(), row.accuracy(), row.samples()));
                }
            }
        }
        for (int epoch = 1; epoch <= through; epoch++) {
            List<LayerMetrics> rows = byEpoch.get(epoch);
            if (rows == null) {
                throw new IOException(run.trainCsv() + ": no validation rows for epoch " + epoch
                        + ", which the early-stopping rule needs to continue this run");
            }
            if (stopping.observe(rows) && epoch < through) {
                throw new IOException(run.trainCsv() + ": its validation rows stop training at epoch " + epoch
                        + ", yet the run has a checkpoint of epoch " + through);
            }
        }
        return stopping.withoutImprovement() >= spec.training().earlyStopping().patience();
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
