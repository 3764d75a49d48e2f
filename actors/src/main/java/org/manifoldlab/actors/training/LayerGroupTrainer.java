package org.manifoldlab.actors.training;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.manifoldlab.core.nn.LocalLayer;
import org.manifoldlab.core.nn.ParameterUpdater;
import org.manifoldlab.core.nn.SoftmaxCrossEntropy;
import org.manifoldlab.core.nn.TrainingMode;
import org.manifoldlab.core.nn.TrainingStep;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains one group of consecutive layers, a stage of the training pipeline. For batch t it
 * computes the group's output with its current weights, sends it on to the next stage, then
 * applies each layer's local update and reports each layer's local error. Batches arrive in
 * order, so the pipeline computes exactly what the plain loop does.
 */
public final class LayerGroupTrainer extends AbstractBehavior<LayerGroupTrainer.Command> {

    public sealed interface Command {
    }

    /**
     * Batch {@code step} of {@code epoch}: the group's input and the labels; at a step the
     * spectral penalty joins, also the group's input of the penalty batch (else null).
     */
    public record Forward(long step, int epoch, Activations input, int[] labels, Activations penaltyInput) implements Command {
        public Forward(long step, int epoch, Activations input, int[] labels) {
            this(step, epoch, input, labels, null);
        }

        public Forward withPenaltyInput(Activations penalty) {
            return new Forward(step, epoch, input, labels, penalty);
        }
    }

    /**
     * Asks for a frozen copy of the group's layers: as they are now (inside an epoch, the feeder
     * paused), or as they were after the last batch of {@code epoch} when {@code endOf} is set.
     * The next epoch's batches may reach a trainer before the request does (the feeder releases
     * them as soon as the epoch's last batch is out), so a trainer keeps a copy of its state when
     * it first meets a batch of a later epoch, until that epoch's end is asked for.
     */
    public record TakeSnapshot(int epoch, boolean endOf, ActorRef<GroupSnapshot> replyTo) implements Command {
    }

    /**
     * The reply: copies the trainer gives up (never touched by it again): frozen layers, and per
     * layer its optimizer's state arrays (W's updater, then b's) and update counts.
     */
    public record GroupSnapshot(int group, List<LocalLayer> layers, List<List<INDArray>> optimizerState,
                                List<long[]> optimizerSteps) {
    }

    /** What a trainer tells its experiment: one per layer per step, and when a batch leaves the pipeline. */
    public sealed interface Report {
        /** The generation of trainers that sent it: reports of a replaced generation are dropped. */
        int generation();
    }

    /** A layer's local loss and accuracy on one batch, measured before its update. */
    public record LocalError(int generation, int layer, long step, int epoch, double lossSum, int correct, int samples)
            implements Report {
        public double loss() {
            return lossSum / samples;
        }

        public double accuracy() {
            return (double) correct / samples;
        }
    }

    /** The last stage has finished batch {@code step}: a credit returns to the supervisor. */
    public record BatchDone(int generation, long step, int epoch, int rows) implements Report {
    }

    /**
     * Which trainers an experiment runs: the generation increases with every rollback, so
     * reports still in flight from a replaced generation are recognised and dropped; and an
     * injected fault (tests only).
     *
     * @param failAtStep the global step at which this trainer throws, or 0 for never
     */
    public record Setup(int group, int generation, TrainingMode mode, int totalEpochs, long failAtStep) {
    }

    /** Makes trainer behaviours; the default is {@link #create}; tests wrap it to watch the inputs. */
    @FunctionalInterface
    public interface Factory {
        Behavior<Command> create(Setup setup, List<LocalLayer> layers, ActorRef<Command> next, ActorRef<Report> reports);
    }

    private final Setup setup;
    private final List<LocalLayer> layers;
    private final ActorRef<Command> next;
    private final ActorRef<Report> reports;
    private final Map<Integer, INDArray> inputs = new HashMap<>();
    private final Map<Integer, INDArray> penaltyInputs = new HashMap<>();
    /** The epoch of the last batch trained; 0 before the first. */
    private int lastEpoch;
    /** The last epoch whose end state has been handed out. */
    private int endServed;
    /** End-of-epoch states kept because a later epoch's batch came first, by epoch. */
    private final Map<Integer, GroupSnapshot> endStates = new HashMap<>();

    /**
     * @param layers the group's layers, owned by this actor from now on
     * @param next   the next stage, or null for the last
     */
    public static Behavior<Command> create(Setup setup, List<LocalLayer> layers, ActorRef<Command> next, ActorRef<Report> reports) {
        return Behaviors.setup(ctx -> new LayerGroupTrainer(ctx, setup, layers, next, reports));
    }

    private LayerGroupTrainer(ActorContext<Command> context, Setup setup, List<LocalLayer> layers,
                              ActorRef<Command> next, ActorRef<Report> reports) {
        super(context);
        if (setup.mode() != TrainingMode.LOCAL && (next != null || layers.get(0).index() != 1)) {
            throw new IllegalArgumentException(setup.mode() + " training runs the whole network as one stage");
        }
        this.setup = setup;
        this.layers = List.copyOf(layers);
        this.next = next;
        this.reports = reports;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Forward.class, this::onForward)
                .onMessage(TakeSnapshot.class, this::onSnapshot)
                .build();
    }

    private Behavior<Command> onForward(Forward batch) {
        if (batch.step() == setup.failAtStep()) {
            throw new IllegalStateException("injected fault: trainer " + setup.group() + " at step " + batch.step());
        }
        if (batch.epoch() > lastEpoch) {
            if (lastEpoch > 0 && endServed < lastEpoch) {
                endStates.put(lastEpoch, snapshot());
            }
            lastEpoch = batch.epoch();
        }
        INDArray x = input(batch.input());
        int generation = setup.generation();
        if (setup.mode() != TrainingMode.LOCAL) {
            int active = TrainingMode.layerwiseActiveLayer(batch.epoch(), setup.totalEpochs(), layers.size());
            TrainingStep.run(setup.mode(), layers, x, batch.labels(), active, penaltyInput(batch), (layer, t) -> reports.tell(
                    new LocalError(generation, layer, batch.step(), batch.epoch(), t.lossSum(), t.correct(), t.samples())));
            reports.tell(new BatchDone(generation, batch.step(), batch.epoch(), batch.labels().length));
            return this;
        }
        List<INDArray> groupInputs = new ArrayList<>(layers.size());
        INDArray h = x;
        INDArray hp = penaltyInput(batch);
        boolean passPenalty = false;
        for (LocalLayer layer : layers) {
            groupInputs.add(h);
            h = layer.forward(h);
            if (hp != null && layer.feedsPenalty()) {
                hp = layer.forwardPenaltyBatch(hp);
                passPenalty = layer.passesPenaltyBatch();
            }
        }
        if (next != null) {
            next.tell(new Forward(batch.step(), batch.epoch(), Activations.copyOf(h), batch.labels(),
                    passPenalty ? Activations.copyOf(hp) : null));
        }
        for (int i = 0; i < layers.size(); i++) {
            LocalLayer layer = layers.get(i);
            SoftmaxCrossEntropy.Tally t = layer.learnLocally(groupInputs.get(i), batch.labels());
            reports.tell(new LocalError(generation, layer.index(), batch.step(), batch.epoch(), t.lossSum(), t.correct(), t.samples()));
        }
        if (next == null) {
            reports.tell(new BatchDone(generation, batch.step(), batch.epoch(), batch.labels().length));
        }
        return this;
    }

    private Behavior<Command> onSnapshot(TakeSnapshot request) {
        if (!request.endOf()) {
            request.replyTo().tell(snapshot());
            return this;
        }
        GroupSnapshot kept = endStates.remove(request.epoch());
        if (kept == null && lastEpoch > request.epoch()) {
            throw new IllegalStateException("trainer " + setup.group() + ": the end of epoch " + request.epoch()
                    + " was asked for after epoch " + lastEpoch + " began, and no copy of it was kept");
        }
        endServed = Math.max(endServed, request.epoch());
        request.replyTo().tell(kept != null ? kept : snapshot());
        return this;
    }

    /** Copies of the group's layers and optimizer state as they are now. */
    private GroupSnapshot snapshot() {
        List<List<INDArray>> state = new ArrayList<>();
        List<long[]> steps = new ArrayList<>();
        for (LocalLayer layer : layers) {
            state.add(layer.updaters().stream().flatMap(u -> u.stateCopy().stream()).toList());
            steps.add(layer.updaters().stream().mapToLong(ParameterUpdater::steps).toArray());
        }
        return new GroupSnapshot(setup.group(), layers.stream().map(LocalLayer::frozenCopy).toList(), state, steps);
    }

    /** The penalty batch's input, in an array of its own (the step's batch may have as many rows), or null. */
    private INDArray penaltyInput(Forward batch) {
        Activations a = batch.penaltyInput();
        if (a == null) {
            return null;
        }
        INDArray target = penaltyInputs.computeIfAbsent(a.rows(),
                rows -> Nd4j.create(DataType.FLOAT, new long[] {rows, a.cols()}, a.order()));
        return a.into(target);
    }

    /** The preallocated input array for this batch's shape, filled from the message. */
    private INDArray input(Activations a) {
        INDArray target = inputs.computeIfAbsent(a.rows(),
                rows -> Nd4j.create(DataType.FLOAT, new long[] {rows, a.cols()}, a.order()));
        return a.into(target);
    }
}
