package org.manifoldlab.actors.training;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.manifoldlab.core.nn.LocalLayer;
import org.manifoldlab.core.nn.Network;

/**
 * A short-lived child that asks every trainer for a frozen copy of its layers and assembles
 * them into one network (the query pattern of Pekko's DeviceGroupQuery): a deadline, and it
 * stops when done.
 */
public final class SnapshotCollector {

    public sealed interface Command {
    }

    private record Reply(LayerGroupTrainer.GroupSnapshot snapshot) implements Command {
    }

    private enum Deadline implements Command { INSTANCE }

    /** The assembled network, or the reason there is none. */
    public record Collected(int epoch, Network network, String failure) {
    }

    private SnapshotCollector() {
    }

    public static Behavior<Command> create(int epoch, int inputs, int classes, List<ActorRef<LayerGroupTrainer.Command>> trainers,
                                           ActorRef<Collected> replyTo, Duration timeout) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startSingleTimer(Deadline.INSTANCE, timeout);
            ActorRef<LayerGroupTrainer.GroupSnapshot> adapter = ctx.messageAdapter(LayerGroupTrainer.GroupSnapshot.class, Reply::new);
            trainers.forEach(t -> t.tell(new LayerGroupTrainer.TakeSnapshot(adapter)));
            return collecting(ctx, epoch, inputs, classes, trainers.size(), new TreeMap<>(), replyTo);
        }));
    }

    private static Behavior<Command> collecting(ActorContext<Command> ctx, int epoch, int inputs, int classes, int expected,
                                                TreeMap<Integer, List<LocalLayer>> got, ActorRef<Collected> replyTo) {
        return Behaviors.receive(Command.class)
                .onMessage(Reply.class, r -> {
                    got.put(r.snapshot().group(), r.snapshot().layers());
                    if (got.size() < expected) {
                        return Behaviors.same();
                    }
                    List<LocalLayer> layers = new ArrayList<>();
                    got.values().forEach(layers::addAll);
                    layers.sort(Comparator.comparingInt(LocalLayer::index));
                    replyTo.tell(new Collected(epoch, new Network(inputs, classes, layers), null));
                    return Behaviors.stopped();
                })
                .onMessage(Deadline.class, d -> {
                    replyTo.tell(new Collected(epoch, null, "snapshot of epoch " + epoch + ": " + got.size() + " of "
                            + expected + " trainers answered in time"));
                    return Behaviors.stopped();
                })
                .build();
    }
}
