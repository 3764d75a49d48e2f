package org.manifoldlab.actors.run;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.manifoldlab.config.ExperimentSpec;

/**
 * Admits experiments, at most maxConcurrent running at once, and queues the rest. Each
 * experiment's outcome is reported as it ends; one failing never stops another. When the
 * queue is empty and nothing runs, it reports all outcomes and stops.
 */
public final class ExperimentScheduler extends AbstractBehavior<ExperimentScheduler.Command> {

    public sealed interface Command {
    }

    private record Ended(ExperimentSupervisor.Outcome outcome) implements Command {
    }

    /** Every experiment's outcome, in the order they were submitted. */
    public record AllDone(List<ExperimentSupervisor.Outcome> outcomes) {
    }

    private final Path runsDir;
    private final int maxConcurrent;
    private final Deque<ExperimentSpec> queue;
    private final List<String> order = new ArrayList<>();
    private final List<ExperimentSupervisor.Outcome> outcomes = new ArrayList<>();
    private final ActorRef<ExperimentSupervisor.Outcome> progress;
    private final ActorRef<AllDone> replyTo;
    private final ActorRef<ExperimentSupervisor.Outcome> ended;
    private int running;

    /** The default concurrency: one experiment per two cores' worth of compute threads, at least one. */
    public static int defaultMaxConcurrent() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /**
     * @param progress receives each outcome as it happens (may be null)
     */
    public static Behavior<Command> create(List<ExperimentSpec> specs, Path runsDir, int maxConcurrent,
                                           ActorRef<ExperimentSupervisor.Outcome> progress, ActorRef<AllDone> replyTo) {
        return Behaviors.setup(ctx -> new ExperimentScheduler(ctx, specs, runsDir, maxConcurrent, progress, replyTo));
    }

    private ExperimentScheduler(ActorContext<Command> ctx, List<ExperimentSpec> specs, Path runsDir, int maxConcurrent,
                                ActorRef<ExperimentSupervisor.Outcome> progress, ActorRef<AllDone> replyTo) {
        super(ctx);
        this.runsDir = runsDir;
        this.maxConcurrent = maxConcurrent;
        this.queue = new ArrayDeque<>(specs);
        this.progress = progress;
        this.replyTo = replyTo;
        this.ended = ctx.messageAdapter(ExperimentSupervisor.Outcome.class, Ended::new);
        specs.forEach(s -> order.add(s.name()));
        admit();
        if (running == 0) {
            replyTo.tell(new AllDone(List.of()));
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder().onMessage(Ended.class, this::onEnded).build();
    }

    private void admit() {
        while (running < maxConcurrent && !queue.isEmpty()) {
            ExperimentSpec spec = queue.poll();
            getContext().spawn(ExperimentSupervisor.create(spec, runsDir, ended), "experiment-" + spec.name());
            running++;
        }
    }

    private Behavior<Command> onEnded(Ended message) {
        running--;
        outcomes.add(message.outcome());
        if (progress != null) {
            progress.tell(message.outcome());
        }
        admit();
        if (running == 0) {
            List<ExperimentSupervisor.Outcome> sorted = new ArrayList<>(outcomes);
            sorted.sort(java.util.Comparator.comparingInt(o -> order.indexOf(o.name())));
            replyTo.tell(new AllDone(sorted));
            return Behaviors.stopped();
        }
        return this;
    }
}
