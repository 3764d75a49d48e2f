package org.manifoldlab.actors.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.actors.TestSpecs;
import org.manifoldlab.actors.run.Checkpoint;
import org.manifoldlab.actors.run.CheckpointStore;
import org.manifoldlab.actors.run.ExperimentPlan;
import org.manifoldlab.actors.run.ExperimentSupervisor;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.core.Kernels;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.Activation;
import org.manifoldlab.core.nn.LayerMetrics;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.nn.PlainTrainer;
import org.manifoldlab.core.nn.TrainingMode;
import org.manifoldlab.rundir.RunDirectory;

class PipelineTest {

    private static final ActorTestKit KIT = ActorTestKit.create();

    @TempDir
    Path runs;

    @BeforeAll
    static void sameKernelThreadsAsTheActorSystem() {
        Kernels.singleThreaded();
    }

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    private static ExperimentSpec spec(int window, String mode, String groups) {
        return TestSpecs.parse("""
                name: pipeline
                seed: 11
                network: {widths: [64, 48, 40, 32], layerGroups: %s}
                training: {mode: %s, epochs: 2, batchSize: 100, pipelineWindow: %d}
                data: {probeSamples: 200}
                """.formatted(groups, mode, window));
    }

    /** Three stages of 784-64-48-40-32, window 4, 100 a batch: 80 steps an epoch. */
    private static ExperimentSpec threeStages(String name, int epochs, String extra) {
        return TestSpecs.parse("""
                name: %s
                seed: 5
                network: {widths: [64, 48, 40, 32], layerGroups: [[1], [2, 3], [4]]}
                training: {epochs: %d, batchSize: 100, pipelineWindow: 4}
                data: {probeSamples: 200}
                %s
                """.formatted(name, epochs, extra));
    }

    private static String plainLoopFingerprint(ExperimentSpec spec) throws IOException {
        Dataset.Split data = DataSources.load(spec.data().source(), spec.seed(), spec.data().testFraction());
        Network net = ExperimentPlan.network(spec, data.train());
        PlainTrainer trainer = new PlainTrainer(net, TrainingMode.valueOf(spec.training().mode().name()),
                spec.training().batchSize(), spec.training().epochs(), spec.seed());
        for (int e = 1; e <= spec.training().epochs(); e++) {
            trainer.trainEpoch(data.train(), e);
        }
        return net.fingerprint();
    }

    private ExperimentSupervisor.Outcome run(ExperimentSpec spec, LayerGroupTrainer.Factory factory) {
        TestProbe<ExperimentSupervisor.Outcome> outcome = KIT.createTestProbe();
        KIT.spawn(ExperimentSupervisor.create(spec, runs, outcome.getRef(), factory));
        ExperimentSupervisor.Outcome o = outcome.expectMessageClass(ExperimentSupervisor.Outcome.class, Duration.ofMinutes(3));
        assertTrue(o.completed(), o.reason());
        return o;
    }

    @Test
    void pipelinedTrainingOverThreeGroupsEqualsThePlainLoop() throws IOException {
        for (int window : new int[] {1, 4}) {
            ExperimentSpec spec = spec(window, "local", "[[1], [2, 3], [4]]");
            assertEquals(plainLoopFingerprint(spec), run(spec, LayerGroupTrainer::create).fingerprint(), "window " + window);
        }
    }

    @Test
    void backpropAndLayerwiseRunAsOneStageAndEqualThePlainLoop() throws IOException {
        for (String mode : new String[] {"backprop", "layerwise"}) {
            ExperimentSpec spec = TestSpecs.parse("""
                    name: onestage
                    seed: 3
                    network: {widths: [40, 30]}
                    training: {mode: %s, epochs: 2, batchSize: 128}
                    data: {probeSamples: 100}
                    """.formatted(mode));
            assertEquals(plainLoopFingerprint(spec), run(spec, LayerGroupTrainer::create).fingerprint(), mode);
        }
    }

    /**
     * The feeder goes on into the next epoch as soon as an epoch's last batch is out, so stage 1
     * trains epoch 2's first batches before it is asked for its state at epoch 1's end. Yet every
     * epoch's checkpoint holds the plain loop's weights after that epoch, bit for bit, and every
     * epoch's train rows are the plain loop's tallies.
     */
    @Test
    void epochsOverlapAndEachEpochsStateAndRowsAreThePlainLoops() throws IOException {
        ExperimentSpec spec = threeStages("overlap", 3, "checkpoint: {everyEpochs: 1, keep: 3, afterCompletion: all}");
        TestProbe<LayerGroupTrainer.Command> first = KIT.createTestProbe();
        LayerGroupTrainer.Factory monitored = (setup, layers, next, reports) -> setup.group() == 1
                ? Behaviors.monitor(LayerGroupTrainer.Command.class, first.getRef(), LayerGroupTrainer.create(setup, layers, next, reports))
                : LayerGroupTrainer.create(setup, layers, next, reports);
        ExperimentSupervisor.Outcome outcome = run(spec, monitored);

        Dataset.Split data = DataSources.load(spec.data().source(), spec.seed(), spec.data().testFraction());
        Network net = ExperimentPlan.network(spec, data.train());
        PlainTrainer trainer = new PlainTrainer(net, TrainingMode.LOCAL, spec.training().batchSize(), spec.training().epochs(), spec.seed());
        List<String> plainRows = new ArrayList<>();
        List<String> plainFingerprints = new ArrayList<>();
        for (int e = 1; e <= spec.training().epochs(); e++) {
            for (LayerMetrics m : trainer.trainEpoch(data.train(), e).layers()) {
                plainRows.add(e + "," + m.layer() + "," + m.loss() + "," + m.accuracy());
            }
            plainFingerprints.add(net.fingerprint());
        }

        CheckpointStore store = new CheckpointStore(new RunDirectory(outcome.runDir()).checkpoints(), 3);
        List<String> checkpointFingerprints = new ArrayList<>();
        for (CheckpointStore.Entry entry : store.entries().stream().sorted(Comparator.comparingInt(CheckpointStore.Entry::epoch)).toList()) {
            Checkpoint c = store.read(entry, Activation.RELU);
            checkpointFingerprints.add(new Network(784, 10, c.layers()).fingerprint());
            assertEquals(entry.epoch() * 80L, entry.step(), "the step of epoch " + entry.epoch() + "'s checkpoint");
        }
        assertEquals(plainFingerprints, checkpointFingerprints);
        List<String> rows = new ArrayList<>();
        for (String line : Files.readAllLines(new RunDirectory(outcome.runDir()).trainCsv())) {
            String[] f = line.split(",");
            if (f[2].equals("train")) {
                rows.add(f[0] + "," + f[1] + "," + Double.parseDouble(f[3]) + "," + Double.parseDouble(f[4]));
            }
        }
        assertEquals(plainRows, rows);

        List<String> stage1 = new ArrayList<>();
        for (LayerGroupTrainer.Command c : first.receiveSeveralMessages(3 * 80 + 3, Duration.ofSeconds(10))) {
            if (c instanceof LayerGroupTrainer.Forward f) {
                stage1.add("batch@" + f.epoch());
            } else if (c instanceof LayerGroupTrainer.TakeSnapshot t) {
                stage1.add("end@" + t.epoch());
            }
        }
        assertTrue(stage1.indexOf("batch@2") < stage1.indexOf("end@1"), "epoch 2 began at stage 1 only after epoch 1 was collected");
        assertTrue(stage1.indexOf("batch@3") < stage1.indexOf("end@2"), "epoch 3 began at stage 1 only after epoch 2 was collected");
    }

    /**
     * A checkpoint inside an epoch that falls just after the next epoch began: the feeder pauses
     * at step 82 (epoch 2's second batch) while epoch 1 still drains; the checkpoint is taken
     * once epoch 1 is written and epoch 2's two batches are through, and the run goes on to the
     * plain loop's weights.
     */
    @Test
    void aCheckpointInsideTheEpochThatBeganEarly() throws IOException {
        ExperimentSpec spec = threeStages("overlapstep", 2, "checkpoint: {everyEpochs: 1, everySteps: 82, keep: 10, afterCompletion: all}");
        ExperimentSupervisor.Outcome outcome = run(spec, LayerGroupTrainer::create);
        assertEquals(plainLoopFingerprint(spec), outcome.fingerprint());
        List<String> checkpoints = new ArrayList<>();
        for (CheckpointStore.Entry e : new CheckpointStore(new RunDirectory(outcome.runDir()).checkpoints(), 10).entries()) {
            checkpoints.add(e.epoch() + "/" + e.position() + "/" + e.step());
        }
        checkpoints.sort(Comparator.naturalOrder());
        assertEquals(List.of("1/0/80", "1/2/82", "2/0/160"), checkpoints);
    }

    /**
     * A trainer fails while epoch 1's end state is being collected, with epoch 2's batches already
     * in the pipeline: the collection in flight is dropped with the trainers, epoch 1 is replayed
     * from the start, and the run ends at the plain loop's weights.
     */
    @Test
    void aTrainerFailingWhileItsEpochIsCollectedIsRolledBack() throws IOException {
        ExperimentSpec spec = threeStages("collectfail", 2, "");
        LayerGroupTrainer.Factory failing = (setup, layers, next, reports) -> {
            Behavior<LayerGroupTrainer.Command> trainer = LayerGroupTrainer.create(setup, layers, next, reports);
            if (setup.group() != 2 || setup.generation() != 1) {
                return trainer;
            }
            return Behaviors.intercept(() -> new BehaviorInterceptor<LayerGroupTrainer.Command, LayerGroupTrainer.Command>(
                    LayerGroupTrainer.Command.class) {
                @Override
                public Behavior<LayerGroupTrainer.Command> aroundReceive(TypedActorContext<LayerGroupTrainer.Command> ctx,
                                                                         LayerGroupTrainer.Command message,
                                                                         ReceiveTarget<LayerGroupTrainer.Command> target) {
                    if (message instanceof LayerGroupTrainer.TakeSnapshot t && t.endOf() && t.epoch() == 1) {
                        throw new IllegalStateException("injected: trainer 2 fails while epoch 1 is collected");
                    }
                    return target.apply(ctx, message);
                }
            }, trainer);
        };
        ExperimentSupervisor.Outcome outcome = run(spec, failing);
        assertEquals(plainLoopFingerprint(spec), outcome.fingerprint());
        String events = Files.readString(new RunDirectory(outcome.runDir()).events());
        assertTrue(events.contains("injected: trainer 2 fails while epoch 1 is collected"), events);
        assertTrue(events.contains("\"type\":\"trainers-restarted\""), events);
    }

    /** Every stage's input is copied to a probe; batch t may enter stage 1 only after batch t - window reached the last stage. */
    @Test
    void creditWindowBoundsTheBatchesInFlight() {
        int window = 3;
        ExperimentSpec spec = spec(window, "local", "[[1], [2, 3], [4]]");
        TestProbe<LayerGroupTrainer.Command> inputs = KIT.createTestProbe();
        List<String> seen = new ArrayList<>();
        LayerGroupTrainer.Factory monitored = (setup, layers, next, reports) ->
                Behaviors.monitor(LayerGroupTrainer.Command.class, inputs.getRef(), LayerGroupTrainer.create(setup, layers, next, reports));
        run(spec, monitored);
        int stages = 3;
        int snapshots = spec.training().epochs() * stages;
        for (LayerGroupTrainer.Command c : inputs.receiveSeveralMessages(countSteps(spec) * stages + snapshots, Duration.ofSeconds(10))) {
            if (c instanceof LayerGroupTrainer.Forward f) {
                seen.add(f.step() + "@" + stageOf(f));
            }
        }
        int checked = 0;
        for (int i = 0; i < seen.size(); i++) {
            String[] s = seen.get(i).split("@");
            long step = Long.parseLong(s[0]);
            if (s[1].equals("first") && step > window) {
                int lastArrival = seen.indexOf((step - window) + "@last");
                assertTrue(lastArrival >= 0 && lastArrival < i, "batch " + step + " entered before batch " + (step - window) + " reached the last stage");
                checked++;
            }
        }
        assertEquals(countSteps(spec) - window, checked);
    }

    private static int countSteps(ExperimentSpec spec) {
        return spec.training().epochs() * ((8000 + spec.training().batchSize() - 1) / spec.training().batchSize());
    }

    /** Stage 1 receives 784-wide inputs, the last stage 40-wide ones (the output of layer 3). */
    private static String stageOf(LayerGroupTrainer.Forward f) {
        return switch (f.input().cols()) {
            case 784 -> "first";
            case 40 -> "last";
            default -> "middle";
        };
    }
}
