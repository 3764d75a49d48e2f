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

    /** Batch {@code step} of {@code epoch}: the group's input and the labels. */
    public record Forward(long step, int epoch, Activations input, int[] labels) implements Command {
    }

    /** Asks for a frozen copy of the group's layers. */
    public record TakeSnapshot(ActorRef<GroupSnapshot> replyTo) implements Command {
    }

    /** The reply: copies the trainer gives up (never touched by it again). */
    public record GroupSnapshot(int group, List<LocalLayer> layers) {
    }

    /** What a trainer tells its experiment: one per layer per step, and when a batch leaves the pipeline. */
    public sealed interface Report {
    }

    /** A layer's local loss and accuracy on one batch, measured before its update. */
    public record LocalError(int layer, long step, int epoch, double lossSum, int correct, int samples) implements Report {
        public double loss() {
            return lossSum / samples;
        }

        public double accuracy() {
            return (double) correct / samples;
        }
    }

    /** The last stage has finished batch {@code step}: a credit returns to the supervisor. */
    public record BatchDone(long step, int epoch) implements Report {
    }

    private final int group;
    private final TrainingMode mode;
    private final int totalEpochs;
    private final List<LocalLayer> layers;
    private final ActorRef<Command> next;
    private final ActorRef<Report> reports;
    private final Map<Integer, INDArray> inputs = new HashMap<>();

    /**
     * @param group  the group's index, from 1
     * @param mode   LOCAL pipelines; LAYERWISE and BACKPROP need the whole network in one group
     * @param layers the group's layers, owned by this actor from now on
     * @param next   the next stage, or null for the last
     */
    public static Behavior<Command> create(int group, TrainingMode mode, int totalEpochs, List<LocalLayer> layers,
                                           ActorRef<Command> next, ActorRef<Report> reports) {
        return Behaviors.setup(ctx -> new LayerGroupTrainer(ctx, group, mode, totalEpochs, layers, next, reports));
    }

    private LayerGroupTrainer(ActorContext<Command> context, int group, TrainingMode mode, int totalEpochs,
                              List<LocalLayer> layers, ActorRef<Command> next, ActorRef<Report> reports) {
        super(context);
        if (mode != TrainingMode.LOCAL && (next != null || layers.get(0).index() != 1)) {
            throw new IllegalArgumentException(mode + " training runs the whole network as one stage");
        }
        this.group = group;
        this.mode = mode;
        this.totalEpochs = totalEpochs;
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
        INDArray x = input(batch.input());
        if (mode != TrainingMode.LOCAL) {
            int active = TrainingMode.layerwiseActiveLayer(batch.epoch(), totalEpochs, layers.size());
            TrainingStep.run(mode, layers, x, batch.labels(), active, (layer, t) -> reports.tell(
                    new LocalError(layer, batch.step(), batch.epoch(), t.lossSum(), t.correct(), t.samples())));
            reports.tell(new BatchDone(batch.step(), batch.epoch()));
            return this;
        }
        List<INDArray> groupInputs = new ArrayList<>(layers.size());
        INDArray h = x;
        for (LocalLayer layer : layers) {
            groupInputs.add(h);
            h = layer.forward(h);
        }
        if (next != null) {
            next.tell(new Forward(batch.step(), batch.epoch(), Activations.copyOf(h), batch.labels()));
        }
        for (int i = 0; i < layers.size(); i++) {
            LocalLayer layer = layers.get(i);
            SoftmaxCrossEntropy.Tally t = layer.learnLocally(groupInputs.get(i), batch.labels());
            reports.tell(new LocalError(layer.index(), batch.step(), batch.epoch(), t.lossSum(), t.correct(), t.samples()));
        }
        if (next == null) {
            reports.tell(new BatchDone(batch.step(), batch.epoch()));
        }
        return this;
    }

    private Behavior<Command> onSnapshot(TakeSnapshot request) {
        request.replyTo().tell(new GroupSnapshot(group, layers.stream().map(LocalLayer::frozenCopy).toList()));
        return this;
    }

    /** The preallocated input array for this batch's shape, filled from the message. */
    private INDArray input(Activations a) {
        INDArray target = inputs.computeIfAbsent(a.rows(),
                rows -> Nd4j.create(DataType.FLOAT, new long[] {rows, a.cols()}, a.order()));
        return a.into(target);
    }
}
