package org.manifoldlab.actors.run;

import java.io.IOException;
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
import org.manifoldlab.actors.analysis.AnalysisRound;
import org.manifoldlab.actors.training.EpochLedger;
import org.manifoldlab.actors.training.LayerGroupTrainer;
import org.manifoldlab.actors.training.SnapshotCollector;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.config.Specs;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.LayerMetrics;
import org.manifoldlab.core.nn.LocalLayer;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.nn.TrainingMode;

/**
 * One experiment: creates its run directory, loads the data, spawns the trainers (one per
 * layer group, chained), the recorder and an analysis round at each analysis point, and runs
 * the epoch loop with credit-based flow control: at most pipelineWindow batches in flight.
 */
public final class ExperimentSupervisor extends AbstractBehavior<ExperimentSupervisor.Command> {

    public sealed interface Command {
    }

    private record TrainerReport(LayerGroupTrainer.Report report) implements Command {
    }

    private record SnapshotTaken(SnapshotCollector.Collected collected) implements Command {
    }

    private record AnalysisFinished(AnalysisRound.Finished finished) implements Command {
    }

    private enum Stop implements Command { INSTANCE }

    /** How an experiment ended. */
    public record Outcome(String id, String name, Path runDir, boolean completed, String fingerprint, String reason) {
    }

    /** Spawns trainer behaviours; tests wrap them to watch their inputs. */
    @FunctionalInterface
    public interface TrainerFactory {
        Behavior<LayerGroupTrainer.Command> create(int group, TrainingMode mode, int totalEpochs, List<LocalLayer> layers,
                                                   ActorRef<LayerGroupTrainer.Command> next, ActorRef<LayerGroupTrainer.Report> reports);
    }

    public static final String COMPUTE_DISPATCHER = "manifold-lab.compute-dispatcher";
    private static final Duration SNAPSHOT_TIMEOUT = Duration.ofMinutes(2);

    private final ExperimentSpec spec;
    private final RunDirectory run;
    private final ActorRef<Outcome> replyTo;
    private final ActorRef<RunRecorder.Command> recorder;
    private final Dataset.Split data;
    private final Dataset probe;
    private final TrainingMode mode;
    private final List<ActorRef<LayerGroupTrainer.Command>> trainers = new ArrayList<>();
    private final int reportsPerBatch;
    private Manifest manifest;
    private EpochLedger ledger;
    private int[] order;
    private int nextBatch;
    private int inFlight;
    private long step;
    private int analysesRunning;
    private String finalFingerprint;

    public static Behavior<Command> create(ExperimentSpec spec, Path runsDir, ActorRef<Outcome> replyTo) {
        return create(spec, runsDir, replyTo, LayerGroupTrainer::create);
    }

    public static Behavior<Command> create(ExperimentSpec spec, Path runsDir, ActorRef<Outcome> replyTo, TrainerFactory factory) {
        return Behaviors.setup(ctx -> {
            RunDirectory run = RunDirectory.create(runsDir, spec.name());
            return new ExperimentSupervisor(ctx, spec, run, replyTo, factory);
        });
    }

    private ExperimentSupervisor(ActorContext<Command> ctx, ExperimentSpec spec, RunDirectory run, ActorRef<Outcome> replyTo,
                                 TrainerFactory factory) throws IOException {
        super(ctx);
        ComputeResources.singleThreadedKernels();
        this.spec = spec;
        this.run = run;
        this.replyTo = replyTo;
        this.mode = TrainingMode.valueOf(spec.training().mode().name());
        RunDirectory.writeAtomically(run.spec(), Specs.toJson(spec).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String now = Instant.now().toString();
        this.manifest = new Manifest(run.id(), spec.name(), spec.seed(), spec.version(), Manifest.RUNNING,
                spec.training().epochs(), 0, "", "", now, now);
        run.writeManifest(manifest);
        this.recorder = ctx.spawn(RunRecorder.create(run, run.id()), "recorder");
        this.data = DataSources.load(spec.data().source(), spec.seed(), spec.data().testFraction());
        this.probe = data.test().sample(spec.seed(), spec.data().probeSamples());
        Network network = ExperimentPlan.network(spec, data.train());
        List<List<Integer>> groups = mode == TrainingMode.LOCAL ? spec.network().layerGroups()
                : List.of(spec.network().layerGroups().stream().flatMap(List::stream).toList());
        this.reportsPerBatch = mode == TrainingMode.LAYERWISE ? 1 : network.depth();
        ActorRef<LayerGroupTrainer.Report> reports = ctx.messageAdapter(LayerGroupTrainer.Report.class, TrainerReport::new);
        ActorRef<LayerGroupTrainer.Command> next = null;
        for (int g = groups.size(); g >= 1; g--) {
            List<LocalLayer> layers = groups.get(g - 1).stream().map(network::layer).toList();
            ActorRef<LayerGroupTrainer.Command> trainer = ctx.spawn(
                    factory.create(g, mode, spec.training().epochs(), layers, next, reports),
                    "trainer-" + g, DispatcherSelector.fromConfig(COMPUTE_DISPATCHER));
            ctx.watch(trainer);
            trainers.add(0, trainer);
            next = trainer;
        }
        event("experiment-started", Map.of("runDir", run.root().toString(), "groups", groups.size(),
                "trainSamples", data.train().size(), "testSamples", data.test().size(), "probeSamples", probe.size()));
        ctx.getLog().info("{}: {} train / {} test samples, {} layers in {} groups, mode {}", run.id(), data.train().size(),
                data.test().size(), network.depth(), groups.size(), mode.name().toLowerCase());
        startEpoch(1);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(TrainerReport.class, this::onReport)
                .onMessage(SnapshotTaken.class, this::onSnapshot)
                .onMessage(AnalysisFinished.class, this::onAnalysisFinished)
                .onSignal(ChildFailed.class, failed -> fail(failed.getRef().path().name() + " failed: " + failed.cause()))
                .build();
    }

    private void startEpoch(int epoch) {
        int batches = (data.train().size() + spec.training().batchSize() - 1) / spec.training().batchSize();
        ledger = new EpochLedger(epoch, batches, spec.network().depth(), reportsPerBatch);
        order = data.train().epochOrder(spec.seed(), epoch);
        nextBatch = 0;
        releaseBatches();
    }

    /** Sends batches while credits remain: at most pipelineWindow in flight. */
    private void releaseBatches() {
        int batchSize = spec.training().batchSize();
        Dataset train = data.train();
        while (inFlight < spec.training().pipelineWindow() && nextBatch * batchSize < train.size()) {
            int from = nextBatch * batchSize;
            trainers.get(0).tell(ExperimentPlan.batch(train, order, from, batchSize, ++step, ledger.epoch()));
            nextBatch++;
            inFlight++;
        }
    }

    private Behavior<Command> onReport(TrainerReport message) {
        if (message.report() instanceof LayerGroupTrainer.LocalError e) {
            if (!Double.isFinite(e.lossSum())) {
                return fail("layer " + e.layer() + " loss is " + e.loss() + " at step " + e.step() + " (diverged)");
            }
            ledger.add(e);
        } else if (message.report() instanceof LayerGroupTrainer.BatchDone) {
            ledger.batchDone();
            inFlight--;
            releaseBatches();
        }
        if (ledger.complete()) {
            endEpoch();
        }
        return this;
    }

    private void endEpoch() {
        int epoch = ledger.epoch();
        List<List<Object>> rows = new ArrayList<>();
        for (LayerMetrics m : ledger.metrics()) {
            rows.add(List.of(epoch, m.layer(), "train", m.loss(), m.accuracy(), m.samples()));
        }
        recorder.tell(new RunRecorder.Rows(run.trainCsv(), RunDirectory.TRAIN_COLUMNS, rows));
        event("epoch-trained", Map.of("epoch", epoch, "layers", ledger.metrics()));
        getContext().getLog().info("{}: epoch {}/{} trained, {}", run.id(), epoch, spec.training().epochs(), summary(ledger.metrics()));
        manifest = manifest.with(Manifest.RUNNING, epoch, "", "", Instant.now().toString());
        recorder.tell(new RunRecorder.WriteManifest(manifest));
        ActorRef<SnapshotCollector.Collected> adapter = getContext().messageAdapter(SnapshotCollector.Collected.class, SnapshotTaken::new);
        getContext().spawn(SnapshotCollector.create(epoch, data.train().features(), data.train().classes(), trainers, adapter,
                SNAPSHOT_TIMEOUT), "snapshot-" + epoch);
    }

    private Behavior<Command> onSnapshot(SnapshotTaken message) {
        SnapshotCollector.Collected c = message.collected();
        if (c.network() == null) {
            return fail(c.failure());
        }
        int epoch = c.epoch();
        boolean last = epoch == spec.training().epochs();
        if (last) {
            finalFingerprint = c.network().fingerprint();
        }
        if (last || epoch % spec.analysis().everyEpochs() == 0) {
            analysesRunning++;
            ActorRef<AnalysisRound.Finished> adapter = getContext().messageAdapter(AnalysisRound.Finished.class, AnalysisFinished::new);
            getContext().spawn(AnalysisRound.create(spec, epoch, c.network(), data.test(), probe, run, recorder, adapter),
                    "analysis-" + epoch, DispatcherSelector.fromConfig(COMPUTE_DISPATCHER));
        }
        if (!last) {
            startEpoch(epoch + 1);
        }
        return maybeFinish();
    }

    private Behavior<Command> onAnalysisFinished(AnalysisFinished message) {
        analysesRunning--;
        if (message.finished().failure() != null) {
            return fail(message.finished().failure());
        }
        return maybeFinish();
    }

    private Behavior<Command> maybeFinish() {
        if (finalFingerprint == null || analysesRunning > 0) {
            return this;
        }
        manifest = manifest.with(Manifest.COMPLETED, spec.training().epochs(), finalFingerprint, "", Instant.now().toString());
        recorder.tell(new RunRecorder.WriteManifest(manifest));
        event("experiment-completed", Map.of("fingerprint", finalFingerprint));
        getContext().getLog().info("{}: completed, fingerprint {}", run.id(), finalFingerprint);
        return finish(new Outcome(run.id(), spec.name(), run.root(), true, finalFingerprint, ""));
    }

    private Behavior<Command> fail(String reason) {
        manifest = manifest.with(Manifest.FAILED, manifest.epochsCompleted(), "", reason, Instant.now().toString());
        recorder.tell(new RunRecorder.WriteManifest(manifest));
        event("experiment-failed", Map.of("reason", reason));
        getContext().getLog().error("{}: failed: {}", run.id(), reason);
        return finish(new Outcome(run.id(), spec.name(), run.root(), false, "", reason));
    }

    /** Lets the recorder write everything queued, then reports and stops (children stop with it). */
    private Behavior<Command> finish(Outcome outcome) {
        trainers.forEach(t -> getContext().unwatch(t));
        ActorRef<Command> self = getContext().getSelf();
        ActorRef<org.apache.pekko.Done> flushed = getContext().spawnAnonymous(
                Behaviors.receive(org.apache.pekko.Done.class).onAnyMessage(d -> {
                    replyTo.tell(outcome);
                    self.tell(Stop.INSTANCE);
                    return Behaviors.stopped();
                }).build());
        recorder.tell(new RunRecorder.Flush(flushed));
        return Behaviors.receive(Command.class)
                .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
                .onAnyMessage(m -> Behaviors.same())
                .onSignal(ChildFailed.class, f -> Behaviors.same())
                .build();
    }

    private void event(String type, Map<String, Object> fields) {
        recorder.tell(new RunRecorder.Event(type, getContext().getSelf().path().toString(), fields));
    }

    private static String summary(List<LayerMetrics> metrics) {
        StringBuilder s = new StringBuilder();
        for (LayerMetrics m : metrics) {
            s.append(String.format("L%d loss %.4f acc %.4f  ", m.layer(), m.loss(), m.accuracy()));
        }
        return s.toString().trim();
    }
}
