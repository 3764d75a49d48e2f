package org.manifoldlab.actors.training;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.manifoldlab.core.nn.LocalLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A short-lived child that asks every trainer for a frozen copy of its layers and their
 * optimizer state, and assembles them in layer order (the query pattern of Pekko's
 * DeviceGroupQuery): a deadline, and it stops when done.
 */
public final class SnapshotCollector {

    public sealed interface Command {
    }

    private record Reply(LayerGroupTrainer.GroupSnapshot snapshot) implements Command {
    }

    private enum Deadline implements Command { INSTANCE }

    /** Every layer's frozen copy and optimizer state, layer 1 first; or the reason there is none. */
    public record Collected(int epoch, int generation, List<LocalLayer> layers, List<List<INDArray>> optimizerState,
                            List<long[]> optimizerSteps, String failure) {
    }

    private SnapshotCollector() {
    }

    /**
     * @param endOf whether the state after the last batch of epoch is wanted (an epoch's end), or
     *              the state now (inside the epoch, the pipeline quiet)
     */
    public static Behavior<Command> create(int epoch, boolean endOf, int generation, List<ActorRef<LayerGroupTrainer.Command>> trainers,
                                           ActorRef<Collected> replyTo, Duration timeout) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startSingleTimer(Deadline.INSTANCE, timeout);
            ActorRef<LayerGroupTrainer.GroupSnapshot> adapter = ctx.messageAdapter(LayerGroupTrainer.GroupSnapshot.class, Reply::new);
            trainers.forEach(t -> t.tell(new LayerGroupTrainer.TakeSnapshot(epoch, endOf, adapter)));
            return collecting(ctx, epoch, generation, trainers.size(), new TreeMap<>(), replyTo);
        }));
    }

    private static Behavior<Command> collecting(ActorContext<Command> ctx, int epoch, int generation, int expected,
                                                TreeMap<Integer, LayerGroupTrainer.GroupSnapshot> got, ActorRef<Collected> replyTo) {
        return Behaviors.receive(Command.class)
                .onMessage(Reply.class, r -> {
                    got.put(r.snapshot().group(), r.snapshot());
                    if (got.size() < expected) {
                        return Behaviors.same();
                    }
                    List<LocalLayer> layers = new ArrayList<>();
                    List<List<INDArray>> state = new ArrayList<>();
                    List<long[]> steps = new ArrayList<>();
                    for (LayerGroupTrainer.GroupSnapshot g : got.values()) {  // groups are consecutive, in order
                        layers.addAll(g.layers());
                        state.addAll(g.optimizerState());
                        steps.addAll(g.optimizerSteps());
                    }
                    replyTo.tell(new Collected(epoch, generation, layers, state, steps, null));
                    return Behaviors.stopped();
                })
                .onMessage(Deadline.class, d -> {
                    replyTo.tell(new Collected(epoch, generation, null, null, null, "snapshot of epoch " + epoch + ": "
                            + got.size() + " of " + expected + " trainers answered in time"));
                    return Behaviors.stopped();
                })
                .build();
    }
}
