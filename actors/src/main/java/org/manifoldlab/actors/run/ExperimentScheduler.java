package org.manifoldlab.actors.run;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.manifoldlab.actors.training.LayerGroupTrainer;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.rundir.SweepPlan;

/**
 * Admits experiments in submission order, as its {@link Admission} allows, and queues the
 * rest. Each experiment's outcome is reported as it ends; one failing never stops another.
 * When the queue is empty and nothing runs, it reports all outcomes and stops.
 */
public final class ExperimentScheduler extends AbstractBehavior<ExperimentScheduler.Command> {

    public sealed interface Command {
    }

    private record Ended(ExperimentSupervisor.Outcome outcome) implements Command {
    }

    /** An experiment's supervisor stopped; after its outcome, or (a bug, a crash) without one. */
    private record Stopped(String name) implements Command {
    }

    /** Every experiment's outcome, in the order they were submitted. */
    public record AllDone(List<ExperimentSupervisor.Outcome> outcomes) {
    }

    private final Path runsDir;
    private final Admission admission;
    /** Experiments waiting to start; a member of a planned sweep comes with its run directory and the version that planned it. */
    private final Deque<SweepPlan.Member> queue;
    private final String version;
    private final int total;
    private final long startNanos = System.nanoTime();
    private final List<String> order = new ArrayList<>();
    private final List<ExperimentSupervisor.Outcome> outcomes = new ArrayList<>();
    private final ActorRef<ExperimentSupervisor.Outcome> progress;
    private final ActorRef<AllDone> replyTo;
    private final ActorRef<ExperimentSupervisor.Outcome> ended;
    /** The running experiments' footprints, by name. */
    private final Map<String, Admission.Footprint> running = new LinkedHashMap<>();
    private String heldBack;

    /** At most maxConcurrent at once, whatever their size. */
    public static Behavior<Command> create(List<ExperimentSpec> specs, Path runsDir, int maxConcurrent,
                                           ActorRef<ExperimentSupervisor.Outcome> progress, ActorRef<AllDone> replyTo) {
        return create(specs, runsDir, Admission.fixed(maxConcurrent), progress, replyTo);
    }

    /**
     * @param progress receives each outcome as it happens (may be null)
     */
    public static Behavior<Command> create(List<ExperimentSpec> specs, Path runsDir, Admission admission,
                                           ActorRef<ExperimentSupervisor.Outcome> progress, ActorRef<AllDone> replyTo) {
        List<SweepPlan.Member> fresh = specs.stream().map(s -> new SweepPlan.Member(s.name(), s, null)).toList();
        return Behaviors.setup(ctx -> new ExperimentScheduler(ctx, fresh, runsDir, "", admission, progress, replyTo));
    }

    /**
     * The members of a planned sweep, each in its own run directory: a completed one is reported
     * as it is, an interrupted one continues from its newest checkpoint, the rest start.
     *
     * @param version the version of this process, which a continued run's checkpoints must match
     */
    public static Behavior<Command> ofPlan(List<SweepPlan.Member> members, String version, Admission admission,
                                           ActorRef<ExperimentSupervisor.Outcome> progress, ActorRef<AllDone> replyTo) {
        return Behaviors.setup(ctx -> new ExperimentScheduler(ctx, members, null, version, admission, progress, replyTo));
    }

    private ExperimentScheduler(ActorContext<Command> ctx, List<SweepPlan.Member> members, Path runsDir, String version, Admission admission,
                                ActorRef<ExperimentSupervisor.Outcome> progress, ActorRef<AllDone> replyTo) {
        super(ctx);
        this.runsDir = runsDir;
        this.version = version;
        this.admission = admission;
        this.total = members.size();
        this.queue = new ArrayDeque<>(members);
        this.progress = progress;
        this.replyTo = replyTo;
        this.ended = ctx.messageAdapter(ExperimentSupervisor.Outcome.class, Ended::new);
        members.forEach(m -> order.add(m.name()));
        admit();
        if (running.isEmpty()) {
            replyTo.tell(new AllDone(List.of()));
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder().onMessage(Ended.class, this::onEnded).onMessage(Stopped.class, this::onStopped).build();
    }

    private void admit() {
        while (!queue.isEmpty()) {
            SweepPlan.Member member = queue.peek();
            ExperimentSpec spec = member.spec();
            Admission.Footprint footprint = admission.footprintOf(spec);
            if (!admission.admitsFootprint(running.values(), footprint)) {
                if (!spec.name().equals(heldBack) && running.size() < admission.maxConcurrent()) {
                    heldBack = spec.name();
                    if (!admission.fitsMemory(running.values(), footprint)) {
                        getContext().getLog().info("{} waits for memory: {} running with {} MB of heap and {} MB in all, its own {} and {} MB,"
                                + " bounds {} and {} MB", spec.name(), running.size(), mb(running.values().stream().mapToLong(Admission.Footprint::heap).sum()),
                                mb(running.values().stream().mapToLong(Admission.Footprint::memory).sum()), mb(footprint.heap()), mb(footprint.memory()),
                                mb(admission.heapBytes()), mb(admission.memoryBytes()));
                    } else {
                        getContext().getLog().info("{} waits for the cache: {} running with working sets of {} MB, its own {} MB, shared cache {} MB",
                                spec.name(), running.size(), mb(running.values().stream().mapToLong(Admission.Footprint::workingSet).sum()),
                                mb(footprint.workingSet()), mb(admission.cacheBytes()));
                    }
                }
                return;
            }
            queue.poll();
            ActorRef<ExperimentSupervisor.Command> experiment = getContext().spawn(member.runDir() == null
                    ? ExperimentSupervisor.create(spec, runsDir, ended)
                    : Resume.startOrContinue(spec, member.runDir(), version, ended, LayerGroupTrainer::create, null, null),
                    "experiment-" + spec.name());
            getContext().watchWith(experiment, new Stopped(spec.name()));
            running.put(spec.name(), footprint);
        }
    }

    /** "sweep: 3/10 done (1 failed), 2 running, 5 waiting, ETA 12m30s" after each outcome. */
    private void sweepLine() {
        long failed = outcomes.stream().filter(o -> !o.completed()).count();
        int done = outcomes.size();
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        long eta = Math.round(elapsed / done * (total - done));
        getContext().getLog().info("sweep: {}/{} done ({} failed), {} running, {} waiting, ETA {}", done, total, failed, running.size(),
                queue.size(), org.manifoldlab.actors.monitor.Progress.eta(eta));
    }

    private static long mb(long bytes) {
        return Math.round(bytes / 1048576.0);
    }

    /**
     * The outcome a supervisor sends comes before its stop (the stop is queued behind it), so a
     * supervisor still counted as running has stopped without one: it ends as failed.
     */
    private Behavior<Command> onStopped(Stopped message) {
        if (!running.containsKey(message.name())) {
            return this;
        }
        String reason = "its supervisor stopped without an outcome; see the experiment's lab.log";
        getContext().getLog().error("{}: {}", message.name(), reason);
        return onEnded(new Ended(new ExperimentSupervisor.Outcome(message.name(), message.name(), runsDir == null ? Path.of(".") : runsDir,
                false, "", reason)));
    }

    private Behavior<Command> onEnded(Ended message) {
        running.remove(message.outcome().name());
        outcomes.add(message.outcome());
        if (progress != null) {
            progress.tell(message.outcome());
        }
        if (total > 1) {
            sweepLine();
        }
        admit();
        if (running.isEmpty()) {
            List<ExperimentSupervisor.Outcome> sorted = new ArrayList<>(outcomes);
            sorted.sort(java.util.Comparator.comparingInt(o -> order.indexOf(o.name())));
            replyTo.tell(new AllDone(sorted));
            return Behaviors.stopped();
        }
        return this;
    }
}
