package org.manifoldlab.actors.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.delivery.ProducerController;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.manifoldlab.actors.run.ExperimentScheduler;
import org.manifoldlab.actors.run.ExperimentSupervisor;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.config.Specs;
import org.manifoldlab.rundir.SweepPlan;

/**
 * The coordinator of a sweep over a cluster. It makes each experiment's run directory in the
 * shared runs directory, then places the jobs on compute slots, which it finds through the
 * Receptionist. Each slot gets its own reliable-delivery ProducerController, and a job goes to
 * a slot only when that slot is idle: a long experiment never holds another job back on its
 * node. The coordinator watches every slot. When a slot disappears (its node left, was downed
 * or died) before its job ended, the job goes back to the front of the queue, and the next
 * slot continues it from the run directory's newest checkpoint. When every experiment has
 * ended, the outcomes go to replyTo, in submission order, as {@link ExperimentScheduler.AllDone}.
 *
 * <p>A node without the shared disk ({@code lab node --local-runs}) fetches the coordinator's
 * copy of a job's run before it starts and streams the run's files back as they are written
 * ({@link ResultCopies}); such a job ends only when its last file is written here.
 */
public final class ClusterSweep extends AbstractBehavior<ClusterSweep.Command> {

    public sealed interface Command {
    }

    private record Demand(ProducerController.RequestNext<Jobs.RunExperiment> next) implements Command {
    }

    private record Reported(Jobs.Report report) implements Command {
    }

    private record Slots(Receptionist.Listing listing) implements Command {
    }

    private record SlotGone(ActorRef<ExperimentWorker.Command> slot) implements Command {
    }

    private record Retry(ActorRef<ExperimentWorker.Command> slot) implements Command {
    }

    private record Requeue(Jobs.RunExperiment job) implements Command {
    }

    private enum Waiting implements Command { TICK }

    /** The files a placement streamed are all written into the coordinator's copy (failure null), or could not be. */
    private record Stored(int attempt, String failure) implements Command {
    }

    private static final Duration WAITING_LINE_EVERY = Duration.ofSeconds(30);

    private final Deque<Jobs.RunExperiment> queue = new ArrayDeque<>();
    private final List<String> order = new ArrayList<>();
    private final Map<String, ExperimentSupervisor.Outcome> ended = new LinkedHashMap<>();
    private final Map<ActorRef<ExperimentWorker.Command>, SweepSlot> slots = new LinkedHashMap<>();
    private final ActorRef<ExperimentScheduler.AllDone> replyTo;
    /** The runs directory every node shares; jobs name their runs relative to it. */
    private final Path runsRoot;
    private final ActorRef<Jobs.Report> monitor;
    private final TimerScheduler<Command> timers;
    private final String sweepId;
    private int producers;
    private int attempts;
    /** How long the job of a downed node waits: time for that node, if alive, to stop its experiment. */
    private final Duration removalMargin;
    /** How long a slot that declined (busy with another sweep's job) is left alone. */
    private final Duration retryBusySlot;
    /** One adapter for every producer: a context keeps one message adapter per message class. */
    private final ActorRef<ProducerController.RequestNext<Jobs.RunExperiment>> demand;
    /** The coordinator's copies of runs computed on nodes without the shared disk. */
    private final ResultCopies copies;
    /** Per job: how often its streamed results could not be stored; the third time fails it. */
    private final Map<String, Integer> storeFailures = new java.util.HashMap<>();
    private static final int STORE_ATTEMPTS = 3;

    /**
     * @param runsDir a directory every node sees at the same path
     * @param monitor also receives every report from the nodes (may be null)
     */
    public static Behavior<Command> create(List<ExperimentSpec> specs, Path runsDir, ActorRef<Jobs.Report> monitor,
                                           ActorRef<ExperimentScheduler.AllDone> replyTo) {
        if (specs.isEmpty()) {
            replyTo.tell(new ExperimentScheduler.AllDone(List.of()));
            return Behaviors.stopped();
        }
        return Behaviors.setup(ctx -> ofPlan(SweepPlan.members(runsDir.toAbsolutePath(), specs), runsDir.toAbsolutePath().getParent(),
                monitor, replyTo));
    }

    /**
     * The members of a planned sweep (see {@link SweepPlan}), each in its own run directory under
     * runsDir, the runs directory every node shares: a job names its run relative to it. A
     * completed member is reported as it is, an interrupted one continues from its checkpoint, the
     * rest start.
     */
    public static Behavior<Command> ofPlan(List<SweepPlan.Member> members, Path runsDir, ActorRef<Jobs.Report> monitor,
                                           ActorRef<ExperimentScheduler.AllDone> replyTo) {
        if (members.isEmpty()) {
            replyTo.tell(new ExperimentScheduler.AllDone(List.of()));
            return Behaviors.stopped();
        }
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new ClusterSweep(ctx, timers, members, runsDir, monitor, replyTo)));
    }

    private ClusterSweep(ActorContext<Command> ctx, TimerScheduler<Command> timers, List<SweepPlan.Member> members, Path runsDir,
                         ActorRef<Jobs.Report> monitor, ActorRef<ExperimentScheduler.AllDone> replyTo) throws IOException {
        super(ctx);
        this.replyTo = replyTo;
        this.monitor = monitor;
        this.timers = timers;
        this.sweepId = "sweep-" + Long.toHexString(System.nanoTime());
        this.demand = ctx.messageAdapter(ProducerController.requestNextClass(), Demand::new);
        this.copies = new ResultCopies(ctx.getSystem());
        this.removalMargin = ctx.getSystem().settings().config().getDuration("pekko.cluster.split-brain-resolver.stable-after");
        this.retryBusySlot = ctx.getSystem().settings().config().getDuration("manifold-lab.cluster.retry-busy-slot");
        // The nodes answer a plain actor: a message adapter's reference does not travel.
        ActorRef<Command> self = ctx.getSelf();
        ActorRef<Jobs.Report> reports = ctx.spawn(Behaviors.receive(Jobs.Report.class)
                .onAnyMessage(r -> {
                    self.tell(new Reported(r));
                    return Behaviors.same();
                }).build(), "reports");
        this.runsRoot = runsDir.toAbsolutePath().normalize();
        for (SweepPlan.Member m : members) {
            String run = runsRoot.relativize(m.runDir().toAbsolutePath().normalize()).toString();
            queue.add(new Jobs.RunExperiment(m.name(), 0, Specs.toJson(m.spec()), run, reports));
            order.add(m.name());
        }
        ctx.getSystem().receptionist().tell(Receptionist.subscribe(ExperimentWorker.SERVICE_KEY,
                ctx.messageAdapter(Receptionist.Listing.class, Slots::new)));
        timers.startTimerWithFixedDelay(Waiting.TICK, WAITING_LINE_EVERY);
        ctx.getLog().info("{}: {} experiment(s) in {}, waiting for compute slots", sweepId, members.size(), runsDir.toAbsolutePath());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Slots.class, this::onSlots)
                .onMessage(Demand.class, this::onDemand)
                .onMessage(Reported.class, this::onReported)
                .onMessage(Stored.class, this::onStored)
                .onMessage(SlotGone.class, g -> {
                    lose(g.slot(), "stopped");
                    return dispatch();
                })
                .onMessage(Retry.class, r -> {
                    SweepSlot slot = slots.get(r.slot());
                    if (slot != null) {
                        slot.declined = false;
                    }
                    return dispatch();
                })
                .onMessage(Requeue.class, r -> {
                    if (!ended.containsKey(r.job().name())) {
                        queue.addFirst(r.job());
                    }
                    return dispatch();
                })
                .onMessageEquals(Waiting.TICK, this::onTick)
                .build();
    }

    /**
     * New slots get a producer of their own. A slot on an unreachable node keeps its job and gets
     * no new one: the node may come back, or be downed by the split brain resolver, and only
     * then (when it drops out of the listing) does its job go back to the queue. Moving it
     * earlier could leave two nodes writing one run directory.
     */
    private Behavior<Command> onSlots(Slots s) {
        var all = s.listing().getAllServiceInstances(ExperimentWorker.SERVICE_KEY);
        var reachable = s.listing().getServiceInstances(ExperimentWorker.SERVICE_KEY);
        for (ActorRef<ExperimentWorker.Command> ref : all) {
            if (!slots.containsKey(ref)) {
                String producerId = sweepId + "-" + (++producers);
                ActorRef<ProducerController.Command<Jobs.RunExperiment>> producer = getContext().spawn(
                        ProducerController.create(Jobs.RunExperiment.class, producerId, Optional.empty()), "producer-" + producers);
                producer.tell(new ProducerController.Start<>(demand));
                ref.tell(new ExperimentWorker.Attach(producer));
                getContext().watchWith(ref, new SlotGone(ref));
                slots.put(ref, new SweepSlot(producerId, producer));
                getContext().getLog().info("compute slot {} joined: {} slot(s)", ref.path().address(), slots.size());
            }
            SweepSlot slot = slots.get(ref);
            boolean unreachable = !reachable.contains(ref);
            if (unreachable != slot.unreachable) {
                slot.unreachable = unreachable;
                if (unreachable) {
                    getContext().getLog().warn("compute slot {} is unreachable{}: waiting for it to return or be downed",
                            ref.path().address(), slot.job == null ? "" : " while running " + slot.job.name());
                } else {
                    getContext().getLog().info("compute slot {} is reachable again", ref.path().address());
                }
            }
        }
        for (ActorRef<ExperimentWorker.Command> ref : List.copyOf(slots.keySet())) {
            if (!all.contains(ref)) {
                lose(ref, "was removed from the cluster (left, or downed)");
            }
        }
        return dispatch();
    }

    /**
     * A slot is gone. If its node is still a member, the slot was stopped (the node is leaving
     * and stopped its experiment first): the job is offered again at once. If the node was
     * downed, it may be alive on the other side of a partition, stopping its experiment only now
     * that it downed itself: the job waits the resolver's stable-after before it moves, so two
     * nodes never write one run directory.
     */
    private void lose(ActorRef<ExperimentWorker.Command> ref, String why) {
        SweepSlot slot = slots.remove(ref);
        if (slot == null) {
            return;
        }
        getContext().stop(slot.producer);
        getContext().unwatch(ref);
        if (slot.job == null || ended.containsKey(slot.job.name())) {
            getContext().getLog().info("compute slot {} {}", ref.path().address(), why);
            return;
        }
        boolean stillMember = false;
        for (Member m : Cluster.get(getContext().getSystem()).state().getMembers()) {
            if (m.address().equals(ref.path().address())) {
                stillMember = m.status() == MemberStatus.up() || m.status() == MemberStatus.leaving()
                        || m.status() == MemberStatus.exiting() || m.status() == MemberStatus.weaklyUp();
            }
        }
        if (stillMember || ref.path().address().hasLocalScope()) {
            queue.addFirst(slot.job);
            getContext().getLog().warn("compute slot {} {} while running {}: offered again, to continue from its last checkpoint",
                    ref.path().address(), why, slot.job.name());
        } else {
            timers.startSingleTimer(new Requeue(slot.job), removalMargin);
            getContext().getLog().warn("compute slot {} {} while running {}: offered again in {} s (time for that node to stop it), "
                    + "to continue from its last checkpoint", ref.path().address(), why, slot.job.name(), removalMargin.toSeconds());
        }
    }

    private Behavior<Command> onDemand(Demand d) {
        for (SweepSlot slot : slots.values()) {
            if (slot.producerId.equals(d.next().producerId())) {
                slot.next = d.next();
            }
        }
        return dispatch();
    }

    /** Each idle slot whose producer has demand gets the next job. */
    private Behavior<Command> dispatch() {
        for (SweepSlot slot : slots.values()) {
            if (queue.isEmpty()) {
                break;
            }
            if (slot.job == null && slot.next != null && !slot.declined && !slot.unreachable) {
                Jobs.RunExperiment template = queue.poll();
                slot.place(new Jobs.RunExperiment(template.name(), ++attempts, template.specJson(), template.runDir(), template.replyTo()));
                slot.next.sendNextTo().tell(slot.job);
                slot.next = null;
            }
        }
        return this;
    }

    private Behavior<Command> onTick() {
        long running = slots.values().stream().filter(s -> s.job != null).count();
        getContext().getLog().info("sweep: {} queued, {} running, {} ended; {} compute slot(s)", queue.size(), running,
                ended.size(), slots.size());
        return this;
    }

    /** The slot running this placement of a job, or null when the report is about an earlier one. */
    private SweepSlot slotOf(int attempt) {
        for (SweepSlot slot : slots.values()) {
            if (slot.job != null && slot.job.attempt() == attempt) {
                return slot;
            }
        }
        return null;
    }

    private Behavior<Command> onReported(Reported r) {
        Jobs.Report report = r.report();
        if (monitor != null) {
            monitor.tell(report);
        }
        if (report instanceof Jobs.Started s) {
            getContext().getLog().info("{} {} on {}{}", s.name(), s.fromStep() == 0 ? "started" : "continues", s.node(),
                    s.fromStep() == 0 ? "" : " from its checkpoint at step " + s.fromStep() + " (" + s.fromEpoch() + " epoch(s) done)");
        } else if (report instanceof Jobs.Progress p) {
            getContext().getLog().info("[{}] {}", p.node(), p.line());
        } else if (report instanceof Jobs.Declined d) {
            SweepSlot slot = slotOf(d.attempt());
            if (slot != null) {
                queue.addFirst(slot.job);
                slot.job = null;
                slot.declined = true;
                slots.entrySet().stream().filter(e -> e.getValue() == slot).findFirst()
                        .ifPresent(e -> timers.startSingleTimer(new Retry(e.getKey()), retryBusySlot));
                getContext().getLog().info("{} declined by busy slot on {}: offered elsewhere", d.name(), d.node());
            }
        } else if (report instanceof Jobs.FetchRun f) {
            SweepSlot slot = slotOf(f.attempt());
            if (slot == null) {
                f.slot().tell(new ExperimentWorker.Seed(f.attempt(), null, "placement " + f.attempt() + " of " + f.name() + " is no longer current"));
            } else {
                copies.serve(runsRoot.resolve(slot.job.runDir()), f);
            }
        } else if (report instanceof Jobs.Streaming st) {
            SweepSlot slot = slotOf(st.attempt());
            if (slot == null) {
                copies.refuse(st);
            } else {
                slot.streaming = true;
                ActorRef<Command> self = getContext().getSelf();
                copies.receive(runsRoot.resolve(slot.job.runDir()), st).whenComplete((done, failure) ->
                        self.tell(new Stored(st.attempt(), failure == null ? null : org.manifoldlab.rundir.RunEnd.reason(failure))));
            }
        } else if (report instanceof Jobs.Ended e && !ended.containsKey(e.name())) {
            SweepSlot slot = slotOf(e.attempt());
            if (slot == null) {
                getContext().getLog().info("{}: ignoring the end of placement {}, which was offered again", e.name(), e.attempt());
                return this;
            }
            if (slot.streaming && !slot.stored) {
                slot.parked = e;  // its files are still arriving
                return this;
            }
            return end(slot, e);
        }
        return dispatch();
    }

    private Behavior<Command> onStored(Stored s) {
        SweepSlot slot = slotOf(s.attempt());
        if (slot == null) {
            return this;  // a placement that was lost and offered again: its copy is the next placement's now
        }
        slot.stored = true;
        slot.storeFailure = s.failure();
        if (s.failure() != null) {
            getContext().getLog().warn("{}: the files streamed by placement {} could not be stored: {}", slot.job.name(), s.attempt(), s.failure());
        }
        return slot.parked == null ? this : end(slot, slot.parked);
    }

    /**
     * A job ended on its slot. If its streamed files could not all be stored, it is offered again
     * (to continue from the newest checkpoint the coordinator holds), up to {@value #STORE_ATTEMPTS}
     * times, then fails with the reason.
     */
    private Behavior<Command> end(SweepSlot slot, Jobs.Ended e) {
        Jobs.RunExperiment job = slot.job;
        slot.job = null;
        if (slot.storeFailure != null) {
            int failures = storeFailures.merge(e.name(), 1, Integer::sum);
            if (failures < STORE_ATTEMPTS) {
                queue.addFirst(job);
                getContext().getLog().warn("{}: offered again, to continue from the newest checkpoint this coordinator holds", e.name());
                return dispatch();
            }
            e = new Jobs.Ended(e.name(), e.attempt(), e.runId(), e.runDir(), e.node(), false, "",
                    "its files could not be stored in the coordinator's runs directory (" + failures + " placements): " + slot.storeFailure);
        }
        ended.put(e.name(), new ExperimentSupervisor.Outcome(e.runId(), e.name(), runsRoot.resolve(e.runDir()), e.completed(),
                e.fingerprint(), e.reason()));
        getContext().getLog().info("{} {} on {}{}", e.name(), e.completed() ? "completed" : "FAILED", e.node(),
                e.completed() ? ", fingerprint " + e.fingerprint() : ": " + e.reason());
        if (ended.size() == order.size()) {
            replyTo.tell(new ExperimentScheduler.AllDone(order.stream().map(ended::get).toList()));
            return Behaviors.stopped();
        }
        return dispatch();
    }
}
