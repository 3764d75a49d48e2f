package org.manifoldlab.actors.cluster;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The guardian of a compute node ({@code lab node}): its experiment slots. When the node shuts
 * down (it is told to leave, is downed, or the process is stopped), the slots and their
 * experiments stop first, in the service-stop phase, before the node leaves the cluster. So a
 * departing node has stopped writing its run directories before the coordinator hands its jobs
 * to another node.
 */
public final class ComputeNode extends AbstractBehavior<ComputeNode.Command> {

    public sealed interface Command {
    }

    /** Stop every slot; reply once all have stopped. */
    public record StopSlots(ActorRef<Done> replyTo) implements Command {
    }

    private final Set<ActorRef<ExperimentWorker.Command>> slots = new HashSet<>();
    private ActorRef<Done> stopped;

    /**
     * @param slots   experiments this node runs at once
     * @param runsDir the runs directory every job's run lies under (jobs name runs relative to it)
     */
    public static Behavior<Command> create(int slots, String version, java.nio.file.Path runsDir) {
        return create(slots, version, runsDir, false);
    }

    /**
     * @param local true: runsDir is this node's own (lab node --local-runs); jobs fetch their run from
     *              the coordinator and stream its files back as they are written
     */
    public static Behavior<Command> create(int slots, String version, java.nio.file.Path runsDir, boolean local) {
        return Behaviors.setup(ctx -> new ComputeNode(ctx, slots, version, runsDir, local));
    }

    private ComputeNode(ActorContext<Command> ctx, int count, String version, java.nio.file.Path runsDir, boolean local) {
        super(ctx);
        var address = Cluster.get(ctx.getSystem()).selfMember().address();
        String node = address.host().getOrElse(() -> "local") + ":" + address.port().getOrElse(() -> 0);
        for (int i = 1; i <= count; i++) {
            ActorRef<ExperimentWorker.Command> slot = ctx.spawn(ExperimentWorker.create(node, version, runsDir, local), "slot-" + i);
            ctx.watch(slot);
            slots.add(slot);
        }
        ActorRef<Command> self = ctx.getSelf();
        var system = ctx.getSystem();
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "stop-experiments",
                () -> stopSlots(self, system));
        ctx.getLog().info("compute node {} ready: {} experiment slot(s), runs {}", node, count,
                local ? "in its own " + runsDir + ", streamed to the coordinator" : "in the shared " + runsDir);
    }

    private static CompletionStage<Done> stopSlots(ActorRef<Command> node, org.apache.pekko.actor.typed.ActorSystem<?> system) {
        return AskPattern.ask(node, StopSlots::new, Duration.ofMinutes(1), system.scheduler());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(StopSlots.class, this::onStopSlots)
                .onSignal(Terminated.class, t -> {
                    slots.remove(t.getRef());
                    return maybeStopped();
                })
                .build();
    }

    private Behavior<Command> onStopSlots(StopSlots s) {
        stopped = s.replyTo();
        getContext().getLog().info("stopping {} experiment slot(s) before leaving the cluster", slots.size());
        slots.forEach(getContext()::stop);
        return maybeStopped();
    }

    private Behavior<Command> maybeStopped() {
        if (stopped != null && slots.isEmpty()) {
            stopped.tell(Done.getInstance());
        }
        return this;
    }
}
