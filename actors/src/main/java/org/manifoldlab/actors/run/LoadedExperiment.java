package org.manifoldlab.actors.run;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.manifoldlab.actors.Compute;
import org.manifoldlab.actors.training.BatchFeeder;
import org.manifoldlab.actors.training.EpochLedger;
import org.manifoldlab.actors.training.LayerGroupTrainer;
import org.manifoldlab.actors.training.SnapshotCollector;
import org.manifoldlab.actors.training.TrainerChain;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.nn.TrainingMode;
import org.manifoldlab.rundir.RunDirectory;

/**
 * An experiment's parts once its spec is loaded: data and probe set, the trainer chain and the
 * batch feeder, and the shapes its networks and epoch ledgers take.
 */
final class LoadedExperiment {

    private final ExperimentSpec spec;
    private final TrainingMode mode;
    private final Dataset.Split data;
    /** The samples held out of training by data.validationFraction; null when there are none. */
    private final Dataset validation;
    private final Dataset probe;
    private final TrainerChain trainers;
    private final BatchFeeder feeder;

    /** Loads the data (the failure names the file) and lays out the trainers; from is the checkpoint resumed (null for none). */
    LoadedExperiment(ActorContext<?> ctx, ExperimentSpec spec, Checkpoint from, LayerGroupTrainer.Factory factory,
                     ActorRef<LayerGroupTrainer.Report> reports) throws IOException {
        this.spec = spec;
        this.mode = TrainingMode.valueOf(spec.training().mode().name());
        Dataset.Split loaded = DataSources.load(spec.data().source(), spec.seed(), spec.data().testFraction());
        if (spec.data().validationFraction() > 0) {
            Dataset.Split held = loaded.train().holdOut(spec.seed(), spec.data().validationFraction());
            this.data = new Dataset.Split(held.train(), loaded.test());
            this.validation = held.test();
        } else {
            this.data = loaded;
            this.validation = null;
        }
        this.probe = data.test().sample(spec.seed(), spec.data().probeSamples());
        List<List<Integer>> groups = mode == TrainingMode.LOCAL ? spec.network().layerGroups()
                : List.of(spec.network().layerGroups().stream().flatMap(List::stream).toList());
        this.trainers = new TrainerChain(ctx, groups, mode, spec.training().epochs(), factory, reports,
                Compute.dispatcher());
        this.feeder = new BatchFeeder(data.train(), spec.seed(), spec.training().batchSize(), spec.training().pipelineWindow(),
                from == null ? 0 : from.step(), spec.checkpoint().everyEpochs() > 0 ? spec.checkpoint().everySteps() : 0,
                ExperimentPlan.penalty(spec));
    }

    Dataset.Split data() {
        return data;
    }

    /** The validation set, or null when the spec holds none out. */
    Dataset validation() {
        return validation;
    }

    Dataset probe() {
        return probe;
    }

    TrainerChain trainers() {
        return trainers;
    }

    BatchFeeder feeder() {
        return feeder;
    }

    /** A fresh network of the spec's shape, from its seed (weights then restored from a checkpoint). */
    Network network() {
        return ExperimentPlan.network(spec, data.train());
    }

    /** A network over the given (frozen) layers: an epoch's snapshot. */
    Network snapshot(List<org.manifoldlab.core.nn.LocalLayer> layers) {
        return new Network(data.train().features(), data.train().classes(), layers);
    }

    /** The ledger of epoch, continued from last's position when last was taken inside that epoch. */
    EpochLedger ledger(int epoch, Checkpoint last) {
        int depth = spec.network().depth();
        int reportsPerBatch = mode == TrainingMode.LAYERWISE ? 1 : depth;
        boolean within = last.position() > 0 && last.epoch() + 1 == epoch;
        return within ? new EpochLedger(epoch, feeder.stepsPerEpoch(), depth, reportsPerBatch, last.position(), last.partial())
                : new EpochLedger(epoch, feeder.stepsPerEpoch(), depth, reportsPerBatch);
    }

    /** The checkpoint of a state collected inside the epoch the ledger counts. */
    Checkpoint withinEpoch(SnapshotCollector.Collected c, EpochLedger ledger, int restarts) {
        return new Checkpoint(ledger.epoch() - 1, feeder.step(), c.layers(), c.optimizerState(), c.optimizerSteps(), Map.of(),
                restarts, ledger.batchesDone(), ledger.partial());
    }

    /** The fields of the experiment-started (or -resumed) event. */
    Map<String, Object> describe(RunDirectory run, int fromEpoch) {
        return RunRecorder.fields("runDir", run.root().toString(), "groups", trainers.size(), "fromEpoch", fromEpoch,
                "trainSamples", data.train().size(),
                "validationSamples", validation == null ? 0 : validation.size(), "testSamples", data.test().size(), "probeSamples", probe.size());
    }

    /** "8000 train / 2000 test samples, 5 layers in 5 groups, mode local" */
    String summary() {
        return data.train().size() + " train / " + (validation == null ? "" : validation.size() + " validation / ")
                + data.test().size() + " test samples, " + spec.network().depth() + " layers in "
                + trainers.size() + " groups, mode " + mode.name().toLowerCase(java.util.Locale.ROOT);
    }
}
