package org.manifoldlab.actors.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.manifoldlab.actors.analysis.AnalysisRound;
import org.manifoldlab.actors.monitor.InRunFilter;
import org.manifoldlab.actors.monitor.Progress;
import org.manifoldlab.actors.training.BatchFeeder;
import org.manifoldlab.actors.training.EpochLedger;
import org.manifoldlab.actors.training.LayerGroupTrainer;
import org.manifoldlab.actors.training.SnapshotCollector;
import org.manifoldlab.actors.training.TrainerChain;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.config.Specs;
import org.manifoldlab.core.Kernels;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.LayerMetrics;
import org.manifoldlab.core.nn.LocalLayer;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.nn.TrainingMode;

/**
 * One experiment: its run directory, data, trainers (one per layer group, chained), recorder
 * and one analysis round per analysis point. Runs the epoch loop with credit-based flow
 * control (at most pipelineWindow batches in flight). Keeps the state at the end of the last
 * epoch as a checkpoint: when a trainer fails, every trainer is replaced from it and the
 * epoch is replayed in the same order, so a fault changes no result.
 */
public final class ExperimentSupervisor extends AbstractBehavior<ExperimentSupervisor.Command> {

    public sealed interface Command {
    }

    private record TrainerReport(LayerGroupTrainer.Report report) implements Command {
    }

    private record SnapshotTaken(SnapshotCollector.Collected collected) implements Command {
    }

    private record StepSnapshotTaken(SnapshotCollector.Collected collected) implements Command {
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

    public static final String COMPUTE_DISPATCHER = "manifold-lab.compute-dispatcher";
    private static final Duration SNAPSHOT_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration PROGRESS_LINE_EVERY = Duration.ofSeconds(10);
    private static final int PROGRESS_EVENT_EVERY_STEPS = 50;

    private final ExperimentSpec spec;
    private final RunDirectory run;
    private final ActorRef<Outcome> replyTo;
    private final TimerScheduler<Command> timers;
    private final ActorRef<RunRecorder.Command> recorder;
    private final CheckpointStore checkpoints;
    private final String specHash;
    private final Dataset.Split data;
    private final Dataset probe;
    private final TrainingMode mode;
    private final TrainerChain trainers;
    private Manifest manifest;
    private Checkpoint last;
    private int restarts;
    private EpochLedger ledger;
    private BatchFeeder feeder;
    private int analysisRunning;
    private SnapshotCollector.Collected waiting;
    private String finalFingerprint;
    private Progress progress;
    private boolean stepSnapshotPending;
    private final ActorRef<ProgressLine> watcher;

    public static Behavior<Command> create(ExperimentSpec spec, Path runsDir, ActorRef<Outcome> replyTo) {
        return create(spec, runsDir, replyTo, LayerGroupTrainer::create);
    }

    public static Behavior<Command> create(ExperimentSpec spec, Path runsDir, ActorRef<Outcome> replyTo, LayerGroupTrainer.Factory factory) {
        return Behaviors.setup(ctx -> start(spec, RunDirectory.create(runsDir, spec.name()), null, replyTo, factory, null));
    }

    /** Continues a run from a verified checkpoint (see {@link Resume}); the metrics are already cut back to it. */
    public static Behavior<Command> resume(ExperimentSpec spec, RunDirectory run, Checkpoint from, ActorRef<Outcome> replyTo) {
        return start(spec, run, from, replyTo, LayerGroupTrainer::create, null);
    }

    /**
     * Starts a run in a directory made for it beforehand: fresh when from is null (the directory
     * then holds nothing to keep), else from that verified checkpoint.
     *
     * @param watcher also receives the progress lines (may be null)
     */
    public static Behavior<Command> start(ExperimentSpec spec, RunDirectory run, Checkpoint from, ActorRef<Outcome> replyTo,
                                          LayerGroupTrainer.Factory factory, ActorRef<ProgressLine> watcher) {
        return Behaviors.setup(ctx -> {
            if (from == null) {
                RunDirectory.writeAtomically(run.spec(), Specs.toJson(spec).getBytes(StandardCharsets.UTF_8));
            }
            return Behaviors.withTimers(timers -> InRunFilter.withRunMdc(Command.class, run.id(), run.root(),
                    () -> new ExperimentSupervisor(ctx, timers, spec, run, from, replyTo, factory, watcher)));
        });
    }

    private ExperimentSupervisor(ActorContext<Command> ctx, TimerScheduler<Command> timers, ExperimentSpec spec, RunDirectory run,
                                 Checkpoint from, ActorRef<Outcome> replyTo, LayerGroupTrainer.Factory factory,
                                 ActorRef<ProgressLine> watcher) throws IOException {
        super(ctx);
        this.watcher = watcher;
        Kernels.singleThreaded();  // one compute thread per core, one kernel thread per compute thread
        this.spec = spec;
        this.run = run;
        this.replyTo = replyTo;
        this.timers = timers;
        this.mode = TrainingMode.valueOf(spec.training().mode().name());
        this.specHash = Resume.specHash(run);
        this.checkpoints = new CheckpointStore(run.checkpoints(), spec.checkpoint().keep());
        String now = Instant.now().toString();
        this.manifest = new Manifest(run.id(), spec.name(), spec.seed(), spec.version(), Manifest.RUNNING,
                spec.training().epochs(), from == null ? 0 : from.epoch(), "", "", now, now, Manifest.thisHost(), ProcessHandle.current().pid());
        run.writeManifest(manifest);
        this.recorder = ctx.spawn(RunRecorder.create(run, run.id()), "recorder");
        this.data = DataSources.load(spec.data().source(), spec.seed(), spec.data().testFraction());
        this.probe = data.test().sample(spec.seed(), spec.data().probeSamples());
        List<List<Integer>> groups = mode == TrainingMode.LOCAL ? spec.network().layerGroups()
                : List.of(spec.network().layerGroups().stream().flatMap(List::stream).toList());
        this.trainers = new TrainerChain(ctx, groups, mode, spec.training().epochs(), factory,
                ctx.messageAdapter(LayerGroupTrainer.Report.class, TrainerReport::new), DispatcherSelector.fromConfig(COMPUTE_DISPATCHER));
        Network network = ExperimentPlan.network(spec, data.train());
        if (from == null) {
            last = Checkpoint.initial(network);
        } else {
            from.restoreInto(network.layers());
            last = from;
            restarts = from.restarts();
        }
        this.feeder = new BatchFeeder(data.train(), spec.seed(), spec.training().batchSize(), spec.training().pipelineWindow(),
                last.step(), spec.checkpoint().everyEpochs() > 0 ? spec.checkpoint().everySteps() : 0);
        event("experiment-" + (from == null ? "started" : "resumed"), RunRecorder.fields("runDir", run.root().toString(), "groups", trainers.size(),
                "fromEpoch", last.epoch(), "trainSamples", data.train().size(), "testSamples", data.test().size(),
                "probeSamples", probe.size()));
        ctx.getLog().info("{}: {} train / {} test samples, {} layers in {} groups, mode {}{}", run.id(), data.train().size(),
                data.test().size(), network.depth(), trainers.size(), mode.name().toLowerCase(),
                from == null ? "" : ", resumed after epoch " + from.epoch());
        trainers.spawn(network, spec.faults().trainer());
        progress = new Progress(spec.training().epochs(), feeder.stepsPerEpoch(), feeder.step(), System.nanoTime());
        timers.startTimerWithFixedDelay(ProgressTick.INSTANCE, PROGRESS_LINE_EVERY);
        if (from != null && from.epoch() > 0 && from.position() == 0 && isAnalysisPoint(from.epoch())) {
            startAnalysis(from.epoch(), new Network(network.inputs(), network.classes(), from.layers()));
        }
        continueAfter(last.epoch(), new Network(network.inputs(), network.classes(), last.layers()));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(TrainerReport.class, this::onReport)
                .onMessage(SnapshotTaken.class, this::onSnapshot)
                .onMessage(StepSnapshotTaken.class, this::onStepSnapshot)
                .onMessage(AnalysisFinished.class, this::onAnalysisFinished)
                .onMessageEquals(Rebuild.INSTANCE, this::onRebuild)
                .onMessageEquals(ProgressTick.INSTANCE, this::onProgressTick)
                .onSignal(ChildFailed.class, this::onChildFailed)
                .build();
    }

    private void startEpoch(int epoch) {
        int depth = spec.network().depth();
        int reportsPerBatch = mode == TrainingMode.LAYERWISE ? 1 : depth;
        boolean within = last.position() > 0 && last.epoch() + 1 == epoch;  // resuming inside this epoch
        ledger = within ? new EpochLedger(epoch, feeder.stepsPerEpoch(), depth, reportsPerBatch, last.position(), last.partial())
                : new EpochLedger(epoch, feeder.stepsPerEpoch(), depth, reportsPerBatch);
        feeder.startEpoch(epoch, within ? last.position() : 0, trainers.first());
    }

    /**
     * The feeder pauses every checkpoint.everySteps steps; once the pipeline is empty (and no
     * analysis is still writing rows) the trainers' state is collected for a checkpoint inside
     * the epoch.
     */
    private void maybeStepCheckpoint() {
        if (feeder.paused() && !stepSnapshotPending && ledger.quiet(feeder.position()) && !ledger.complete() && analysisRunning == 0) {
            stepSnapshotPending = true;
            ActorRef<SnapshotCollector.Collected> adapter = getContext().messageAdapter(SnapshotCollector.Collected.class,
                    StepSnapshotTaken::new);
            getContext().spawn(SnapshotCollector.create(ledger.epoch(), trainers.generation(), trainers.stages(), adapter, SNAPSHOT_TIMEOUT),
                    "snapshot-" + ledger.epoch() + "-step" + feeder.step() + "-gen" + trainers.generation());
        }
    }

    private Behavior<Command> onStepSnapshot(StepSnapshotTaken message) {
        SnapshotCollector.Collected c = message.collected();
        stepSnapshotPending = false;
        if (c.generation() != trainers.generation()) {
            return this;
        }
        if (c.failure() != null) {
            return fail(c.failure());
        }
        last = new Checkpoint(ledger.epoch() - 1, feeder.step(), c.layers(), c.optimizerState(), c.optimizerSteps(), Map.of(),
                restarts, ledger.batchesDone(), ledger.partial());
        recorder.tell(new RunRecorder.WriteCheckpoint(last, checkpoints, specHash, spec.version()));
        event("checkpoint-written", RunRecorder.fields("epoch", ledger.epoch(), "step", feeder.step(), "position", ledger.batchesDone()));
        feeder.resume(trainers.first());
        return this;
    }

    private Behavior<Command> onReport(TrainerReport message) {
        if (message.report() instanceof LayerGroupTrainer.LocalError e && e.generation() == trainers.generation()) {
            if (!Double.isFinite(e.lossSum())) {
                return fail("layer " + e.layer() + " loss is " + e.loss() + " at step " + e.step() + " (diverged)");
            }
            ledger.add(e);
            progress.localError(e.layer(), e.loss(), e.accuracy());
        } else if (message.report() instanceof LayerGroupTrainer.BatchDone d && d.generation() == trainers.generation()) {
            ledger.batchDone();
            progress.batch(d.rows());
            feeder.batchDone(trainers.first());
            if (d.step() % PROGRESS_EVENT_EVERY_STEPS == 0) {
                event("progress", progress.report(ledger.epoch(), d.step(), System.nanoTime()));
            }
        } else {
            return this;  // from a replaced generation
        }
        maybeStepCheckpoint();
        if (ledger.complete()) {
            ActorRef<SnapshotCollector.Collected> adapter = getContext().messageAdapter(SnapshotCollector.Collected.class, SnapshotTaken::new);
            getContext().spawn(SnapshotCollector.create(ledger.epoch(), trainers.generation(), trainers.stages(), adapter, SNAPSHOT_TIMEOUT),
                    "snapshot-" + ledger.epoch() + "-gen" + trainers.generation());
        }
        return this;
    }

    private Behavior<Command> onSnapshot(SnapshotTaken message) {
        SnapshotCollector.Collected c = message.collected();
        if (c.generation() != trainers.generation()) {
            return this;
        }
        if (c.failure() != null) {
            return fail(c.failure());
        }
        waiting = c;
        return analysisRunning > 0 ? this : completeEpoch();
    }

    /**
     * The epoch's train rows, its checkpoint, its analysis, the next epoch. Runs only when the
     * previous analysis has written its rows, so every metrics file has one order whatever the
     * timing: train rows of e, analysis rows of e, train rows of e + 1, ...
     */
    private Behavior<Command> completeEpoch() {
        SnapshotCollector.Collected c = waiting;
        waiting = null;
        int epoch = c.epoch();
        List<List<Object>> rows = new ArrayList<>();
        for (LayerMetrics m : ledger.metrics()) {
            rows.add(List.of(epoch, m.layer(), "train", m.loss(), m.accuracy(), m.samples()));
        }
        recorder.tell(new RunRecorder.Rows(run.trainCsv(), RunDirectory.TRAIN_COLUMNS, rows));
        long step = feeder.step();
        event("epoch-trained", RunRecorder.fields("epoch", epoch, "step", step, "layers", ledger.metrics()));
        getContext().getLog().info("{}: epoch {}/{} trained, {}", run.id(), epoch, spec.training().epochs(), Progress.epochSummary(ledger.metrics()));
        last = new Checkpoint(epoch, step, c.layers(), c.optimizerState(), c.optimizerSteps(), Map.of(), restarts);
        int every = spec.checkpoint().everyEpochs();
        if (every > 0 && (epoch % every == 0 || epoch == spec.training().epochs())) {
            recorder.tell(new RunRecorder.WriteCheckpoint(last, checkpoints, specHash, spec.version()));
            event("checkpoint-written", RunRecorder.fields("epoch", epoch, "step", step));
        }
        manifest = manifest.with(Manifest.RUNNING, epoch, "", "", Instant.now().toString());
        recorder.tell(new RunRecorder.WriteManifest(manifest));
        Network snapshot = new Network(data.train().features(), data.train().classes(), c.layers());
        if (isAnalysisPoint(epoch)) {
            startAnalysis(epoch, snapshot);
        }
        return continueAfter(epoch, snapshot);
    }

    private Behavior<Command> continueAfter(int epoch, Network snapshot) {
        if (epoch < spec.training().epochs()) {
            startEpoch(epoch + 1);
        } else {
            finalFingerprint = snapshot.fingerprint();
        }
        return maybeFinish();
    }

    private boolean isAnalysisPoint(int epoch) {
        return epoch % spec.analysis().everyEpochs() == 0 || epoch == spec.training().epochs();
    }

    private void startAnalysis(int epoch, Network snapshot) {
        analysisRunning = epoch;
        ActorRef<AnalysisRound.Finished> adapter = getContext().messageAdapter(AnalysisRound.Finished.class, AnalysisFinished::new);
        getContext().spawn(AnalysisRound.create(spec, epoch, snapshot, data.train(), data.test(), probe, run, recorder, adapter),
                "analysis-" + epoch);
    }

    private Behavior<Command> onAnalysisFinished(AnalysisFinished message) {
        analysisRunning = 0;
        if (message.finished().failure() != null) {
            return fail(message.finished().failure());
        }
        if (ledger != null && waiting == null) {
            maybeStepCheckpoint();  // a step checkpoint that waited for this analysis's rows
        }
        return waiting != null ? completeEpoch() : maybeFinish();
    }

    private Behavior<Command> onChildFailed(ChildFailed failed) {
        if (!trainers.isStage(failed.getRef())) {
            return fail(failed.getRef().path().name() + " failed: " + failed.cause());
        }
        restarts++;
        event("trainer-failed", RunRecorder.fields("trainer", failed.getRef().path().name(), "cause", String.valueOf(failed.cause()),
                "restarts", restarts, "rollbackToEpoch", last.epoch()));
        getContext().getLog().warn("{}: {} failed ({}); rolling back to the end of epoch {} (restart {} of at most {})", run.id(),
                failed.getRef().path().name(), failed.cause().getMessage(), last.epoch(), restarts, spec.checkpoint().maxRestarts());
        if (restarts > spec.checkpoint().maxRestarts()) {
            return fail("trainers failed " + restarts + " times (limit " + spec.checkpoint().maxRestarts() + "): " + failed.cause());
        }
        trainers.stopAll();  // reports still in flight from the failed generation are dropped from now on
        timers.startSingleTimer(Rebuild.INSTANCE, Duration.ofMillis(100L << Math.min(restarts - 1, 6)));
        return this;
    }

    /** New trainers from the last epoch's checkpoint; the interrupted epoch is replayed in the same order. */
    private Behavior<Command> onRebuild() {
        Network network = ExperimentPlan.network(spec, data.train());
        last.restoreInto(network.layers());
        feeder.rewind(last.step());
        trainers.spawn(network, spec.faults().trainer());
        event("trainers-restarted", RunRecorder.fields("generation", trainers.generation(), "fromEpoch", last.epoch(), "step", feeder.step()));
        startEpoch(last.epoch() + 1);
        return this;
    }

    private Behavior<Command> onProgressTick() {
        if (ledger != null && !ledger.complete()) {
            String line = Progress.line(run.id(), progress.report(ledger.epoch(), feeder.step() - feeder.inFlight(), System.nanoTime()));
            getContext().getLog().info(line);
            if (watcher != null) {
                watcher.tell(new ProgressLine(run.id(), line));
            }
        }
        return this;
    }

    private Behavior<Command> maybeFinish() {
        if (finalFingerprint == null || analysisRunning > 0 || waiting != null) {
            return this;
        }
        manifest = manifest.with(Manifest.COMPLETED, spec.training().epochs(), finalFingerprint, "", Instant.now().toString());
        recorder.tell(new RunRecorder.WriteManifest(manifest));
        event("experiment-completed", RunRecorder.fields("fingerprint", finalFingerprint, "restarts", restarts));
        getContext().getLog().info("{}: completed, fingerprint {}", run.id(), finalFingerprint);
        return finish(new Outcome(run.id(), spec.name(), run.root(), true, finalFingerprint, ""));
    }

    private Behavior<Command> fail(String reason) {
        manifest = manifest.with(Manifest.FAILED, manifest.epochsCompleted(), "", reason, Instant.now().toString());
        recorder.tell(new RunRecorder.WriteManifest(manifest));
        event("experiment-failed", RunRecorder.fields("reason", reason));
        getContext().getLog().error("{}: failed: {}", run.id(), reason);
        return finish(new Outcome(run.id(), spec.name(), run.root(), false, "", reason));
    }

    /** Lets the recorder write everything queued, then reports and stops (children stop with it). */
    private Behavior<Command> finish(Outcome outcome) {
        trainers.unwatchAll();
        return RunRecorder.flushThenStop(getContext(), recorder, () -> replyTo.tell(outcome));
    }

    private void event(String type, Map<String, Object> fields) {
        recorder.tell(new RunRecorder.Event(type, getContext().getSelf().path().toString(), fields));
    }
}
