package org.manifoldlab.actors.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.delivery.ConsumerController;
import org.apache.pekko.actor.typed.delivery.ProducerController;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.SourceRef;
import org.manifoldlab.actors.run.CheckpointStore;
import org.manifoldlab.actors.run.ExperimentSupervisor;
import org.manifoldlab.actors.run.Resume;
import org.manifoldlab.actors.training.LayerGroupTrainer;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.rundir.RunDirectory;
import org.manifoldlab.rundir.RunEnd;
import org.manifoldlab.rundir.RunLock;

/**
 * One experiment slot of a compute node. It registers with the Receptionist; a coordinator that
 * finds it attaches a reliable-delivery ProducerController, and the slot's ConsumerController
 * registers to it. The coordinator sends a slot a job only when the slot is idle, so the slot
 * runs one experiment at a time and no job waits behind another on a busy node. A job is
 * confirmed when its experiment has ended. A slot that a second sweep reaches while busy
 * declines the job, and that coordinator offers it elsewhere.
 *
 * <p>A slot of a node with a runs directory of its own ({@code lab node --local-runs}) needs no
 * shared disk: before it starts a job it fetches the coordinator's copy of the run (spec.json,
 * and when the run was begun elsewhere its metrics, events, manifest and checkpoints), continues
 * from the newest checkpoint in it, and streams the run's files back to the coordinator as they
 * are written ({@link RunMirror}). The job ends only after the last of them has been sent; a
 * stream that breaks stops the experiment and ends the job with the reason.
 */
public final class ExperimentWorker extends AbstractBehavior<ExperimentWorker.Command> {

    /** Under this key every slot of every compute node offers to run experiments. */
    public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "manifold-lab-slots");

    public interface Command {
    }

    /** From a coordinator: the ProducerController its jobs for this slot come from. */
    public record Attach(ActorRef<ProducerController.Command<Jobs.RunExperiment>> producer) implements Command, CborSerializable {
    }

    /** The coordinator's copy of the job's run (files null: refused, with the reason), answering {@link Jobs.FetchRun}. */
    public record Seed(int attempt, SourceRef<RunFiles.Piece> files, String refusal) implements Command, CborSerializable {
    }

    private record Seeded(int attempt, Throwable failure) implements Command {
    }

    private record MirrorEnded(int attempt, Throwable failure) implements Command {
    }

    private record CoordinatorGone(int attempt) implements Command {
    }

    private record Delivered(ConsumerController.Delivery<Jobs.RunExperiment> delivery) implements Command {
    }

    private record Finished(ExperimentSupervisor.Outcome outcome) implements Command {
    }

    private record ProgressSeen(ExperimentSupervisor.ProgressLine line) implements Command {
    }

    /** The experiment of an attempt stopped; if it sent no outcome, the job ends as failed. */
    private record ExperimentStopped(int attempt) implements Command {
    }

    /** A coordinator's producer stopped (its sweep ended, or its node left): its consumer goes too. */
    private record ProducerGone(ActorRef<ConsumerController.Command<Jobs.RunExperiment>> consumer) implements Command {
    }

    private final String node;
    private final String version;
    /** Every job's run directory lies under this one; a job naming a run outside it is refused. */
    private final Path runsDir;
    private final ActorRef<ExperimentSupervisor.Outcome> finished;
    private final ActorRef<ExperimentSupervisor.ProgressLine> progress;
    private final ActorRef<ConsumerController.Delivery<Jobs.RunExperiment>> deliveries;
    private ConsumerController.Delivery<Jobs.RunExperiment> current;
    private final java.util.Map<ActorRef<ProducerController.Command<Jobs.RunExperiment>>, ActorRef<ConsumerController.Command<Jobs.RunExperiment>>>
            consumers = new java.util.HashMap<>();
    /** Whether runs live in this node's own runsDir and stream back to the coordinator. */
    private final boolean local;
    /** The current job's run, when local: its lock until the experiment owns it, its mirror once streaming. */
    private LocalRun run;

    /**
     * @param node    how reports name this node (host:port)
     * @param version the project version this node runs; a job from another version is refused
     * @param runsDir the runs directory jobs name their runs relative to
     */
    public static Behavior<Command> create(String node, String version, Path runsDir) {
        return create(node, version, runsDir, false);
    }

    /**
     * @param local true: runsDir is this node's own, not shared; each job's run is fetched from the
     *              coordinator and its files streamed back as they are written
     */
    public static Behavior<Command> create(String node, String version, Path runsDir, boolean local) {
        return Behaviors.setup(ctx -> new ExperimentWorker(ctx, node, version, runsDir, local));
    }

    private ExperimentWorker(ActorContext<Command> ctx, String node, String version, Path runsDir, boolean local) {
        super(ctx);
        this.local = local;
        this.runsDir = runsDir.toAbsolutePath().normalize();
        this.node = node;
        this.version = version;
        this.finished = ctx.messageAdapter(ExperimentSupervisor.Outcome.class, Finished::new);
        this.progress = ctx.messageAdapter(ExperimentSupervisor.ProgressLine.class, ProgressSeen::new);
        this.deliveries = ctx.messageAdapter(ConsumerController.deliveryClass(), Delivered::new);
        ctx.getSystem().receptionist().tell(Receptionist.register(SERVICE_KEY, ctx.getSelf()));
    }

    /**
     * One ConsumerController per coordinator that attaches (one per sweep), stopped when that
     * coordinator's producer stops, so a long-lived node keeps none for sweeps that ended.
     */
    private Behavior<Command> onAttach(Attach a) {
        if (consumers.containsKey(a.producer())) {
            return this;
        }
        ActorRef<ConsumerController.Command<Jobs.RunExperiment>> consumer =
                getContext().spawnAnonymous(ConsumerController.create());
        consumers.put(a.producer(), consumer);
        consumer.tell(new ConsumerController.Start<>(deliveries));
        consumer.tell(new ConsumerController.RegisterToProducerController<>(a.producer()));
        getContext().watchWith(a.producer(), new ProducerGone(consumer));
        return this;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Attach.class, this::onAttach)
                .onMessage(Delivered.class, this::onDelivered)
                .onMessage(ProducerGone.class, g -> {
                    consumers.values().remove(g.consumer());
                    getContext().stop(g.consumer());
                    return this;
                })
                .onMessage(ExperimentStopped.class, this::onExperimentStopped)
                .onMessage(Finished.class, this::onFinished)
                .onMessage(Seed.class, this::onSeed)
                .onMessage(Seeded.class, this::onSeeded)
                .onMessage(MirrorEnded.class, this::onMirrorEnded)
                .onMessage(CoordinatorGone.class, this::onCoordinatorGone)
                .onSignal(PostStop.class, stop -> stopped())
                .onMessage(ProgressSeen.class, p -> {
                    if (current != null) {
                        Jobs.RunExperiment job = current.message();
                        job.replyTo().tell(new Jobs.Progress(job.name(), job.attempt(), node, p.line().line()));
                    }
                    return this;
                })
                .build();
    }

    /** A coordinator that leaves before it sends the run's files ends the job; once streaming, the stream's end tells. */
    private Behavior<Command> onCoordinatorGone(CoordinatorGone g) {
        if (isCurrent(g.attempt()) && run != null && run.mirror == null) {
            return endLocally(false, "", "the coordinator left before it sent the run's files");
        }
        return this;
    }

    private Behavior<Command> stopped() {
        if (run != null) {
            run.close();
        }
        return this;
    }

    private Behavior<Command> onDelivered(Delivered d) {
        if (current != null) {
            Jobs.RunExperiment job = d.delivery().message();
            job.replyTo().tell(new Jobs.Declined(job.name(), job.attempt(), node));
            d.delivery().confirmTo().tell(ConsumerController.confirmed());
            return this;
        }
        current = d.delivery();
        Jobs.RunExperiment job = current.message();
        String refusal = start(job);
        if (refusal != null) {
            getContext().getLog().error("{}: {}", job.name(), refusal);
            end(new Jobs.Ended(job.name(), job.attempt(), job.runDir().replaceAll(".*/", ""), job.runDir(), node, false, "", refusal));
        }
        return this;
    }

    /** Starts the job's experiment, fresh or from its newest checkpoint; returns why it cannot, or null. */
    private String start(Jobs.RunExperiment job) {
        JobAdmission.Admitted admitted;
        try {
            admitted = JobAdmission.admit(job, node, version, runsDir, local);
        } catch (JobAdmission.Refused refused) {
            return refused.getMessage();
        }
        ExperimentSpec spec = admitted.spec();
        Path dir = admitted.dir();
        if (local) {
            return startLocal(job, spec, dir);
        }
        RunLock lock;
        try {
            lock = RunLock.acquire(dir);
        } catch (RunLock.HeldException held) {
            // another process (or slot) still owns it, a node that was cut off, say: offer it again later
            getContext().getLog().warn("{}: {}; handing the job back", job.name(), held.getMessage());
            job.replyTo().tell(new Jobs.Declined(job.name(), job.attempt(), node));
            current.confirmTo().tell(ConsumerController.confirmed());
            current = null;
            return null;
        } catch (IOException e) {
            return "run directory " + dir + ": " + RunEnd.reason(e);
        }
        try {
            spawnExperiment(job, spec, dir, lock);
            return null;
        } catch (IOException | RuntimeException e) {
            lock.close();
            return "run directory " + dir + ": " + RunEnd.reason(e);
        }
    }

    /** Spawns and watches the job's experiment in dir, fresh or from its newest checkpoint, and reports it started. */
    private ActorRef<ExperimentSupervisor.Command> spawnExperiment(Jobs.RunExperiment job, ExperimentSpec spec, Path dir, RunLock lock)
            throws IOException {
        List<CheckpointStore.Entry> checkpoints = new CheckpointStore(new RunDirectory(dir).checkpoints(), spec.checkpoint().keep()).entries();
        String child = "experiment-" + spec.name() + "-" + job.attempt();
        ActorRef<ExperimentSupervisor.Command> experiment = getContext().spawn(
                Resume.startOrContinue(spec, dir, version, finished, LayerGroupTrainer::create, progress, lock), child);
        job.replyTo().tell(new Jobs.Started(job.name(), job.attempt(), job.runDir(), node,
                checkpoints.isEmpty() ? 0 : checkpoints.get(0).epoch(), checkpoints.isEmpty() ? 0 : checkpoints.get(0).step()));
        getContext().watchWith(experiment, new ExperimentStopped(job.attempt()));
        return experiment;
    }

    /**
     * A job in this node's own runs directory: the directory is emptied (it is only a copy) and the
     * coordinator asked for its copy of the run; the experiment starts once that has arrived.
     */
    private String startLocal(Jobs.RunExperiment job, ExperimentSpec spec, Path dir) {
        try {
            run = LocalRun.open(spec, dir, getContext().getSystem());
        } catch (IOException e) {
            return "run directory " + dir + ": " + RunEnd.reason(e);
        }
        getContext().watchWith(job.replyTo(), new CoordinatorGone(job.attempt()));
        job.replyTo().tell(new Jobs.FetchRun(job.name(), job.attempt(), node, getContext().getSelf()));
        return null;
    }

    private boolean isCurrent(int attempt) {
        return current != null && current.message().attempt() == attempt;
    }

    /** The coordinator's copy of the run arrives into the local directory. */
    private Behavior<Command> onSeed(Seed s) {
        if (!isCurrent(s.attempt()) || run == null || run.mirror != null) {
            if (s.files() != null) {
                s.files().getSource().runWith(org.apache.pekko.stream.javadsl.Sink.cancelled(), getContext().getSystem());
            }
            return this;
        }
        if (s.files() == null) {
            return endLocally(false, "", "the coordinator refused to send the run's files: " + s.refusal());
        }
        try {
            getContext().pipeToSelf(run.receive(s.attempt(), s.files()), (done, failure) -> new Seeded(s.attempt(), failure));
        } catch (IOException e) {
            return endLocally(false, "", "run directory " + run.dir + ": " + RunEnd.reason(e));
        }
        return this;
    }

    /**
     * The run's files are here: a resumed run is cut back to its checkpoint now, before the mirror
     * first looks, so the cuts are the first thing it sends; then the mirror's stream is offered.
     */
    private Behavior<Command> onSeeded(Seeded s) {
        if (!isCurrent(s.attempt()) || run == null || run.mirror != null) {
            return this;
        }
        if (s.failure() != null) {
            return endLocally(false, "", "the run's files did not arrive from the coordinator: " + RunEnd.reason(s.failure()));
        }
        Pair<java.util.concurrent.CompletionStage<org.apache.pekko.Done>, SourceRef<RunFiles.Piece>> streams;
        try {
            streams = run.stream(version);
        } catch (IOException e) {
            return endLocally(false, "", "run directory " + run.dir + ": " + RunEnd.reason(e));
        }
        int attempt = s.attempt();
        getContext().pipeToSelf(streams.first(), (done, failure) -> new MirrorEnded(attempt, failure));
        return offered(attempt, streams.second());
    }

    /** The mirror's stream is offered to the coordinator, then the experiment starts. */
    private Behavior<Command> offered(int attempt, SourceRef<RunFiles.Piece> files) {
        Jobs.RunExperiment job = current.message();
        job.replyTo().tell(new Jobs.Streaming(job.name(), attempt, node, files));
        try {
            run.experiment = spawnExperiment(job, run.spec, run.dir, run.lock);
            run.lock = null;  // the experiment owns it now
        } catch (IOException | RuntimeException e) {
            return endLocally(false, "", "run directory " + run.dir + ": " + RunEnd.reason(e));
        }
        return this;
    }

    private Behavior<Command> onMirrorEnded(MirrorEnded m) {
        if (!isCurrent(m.attempt()) || run == null) {
            return this;
        }
        if (run.sent()) {
            ExperimentSupervisor.Outcome o = run.outcome;
            return endLocally(o.completed(), o.fingerprint(), o.reason());
        }
        if (run.experiment != null) {
            getContext().stop(run.experiment);
        }
        String why = m.failure() != null ? RunEnd.reason(m.failure()) : "the coordinator stopped taking them";
        return endLocally(false, "", "the run's files could not be streamed to the coordinator: " + why);
    }

    /** Ends the current local job (its lock freed if the experiment never took it) and reports it. */
    private Behavior<Command> endLocally(boolean completed, String fingerprint, String reason) {
        Jobs.RunExperiment job = current.message();
        run.close();
        if (!completed) {
            getContext().getLog().error("{}: {}", job.name(), reason);
        }
        String id = run.dir.getFileName().toString();
        run = null;
        getContext().unwatch(job.replyTo());
        end(new Jobs.Ended(job.name(), job.attempt(), id, job.runDir(), node, completed, fingerprint, reason));
        return this;
    }

    private Behavior<Command> onFinished(Finished f) {
        ExperimentSupervisor.Outcome o = f.outcome();
        if (current != null && run != null && run.mirror != null) {
            run.ended(o);
        } else if (current != null) {
            Jobs.RunExperiment job = current.message();
            end(new Jobs.Ended(job.name(), job.attempt(), o.id(), job.runDir(), node, o.completed(), o.fingerprint(), o.reason()));
        }
        return this;
    }

    /** An experiment that stopped without an outcome (it threw while starting, say) must not hold the slot. */
    private Behavior<Command> onExperimentStopped(ExperimentStopped stopped) {
        if (current != null && current.message().attempt() == stopped.attempt() && (run == null || run.outcome == null)) {
            Jobs.RunExperiment job = current.message();
            String reason = "the experiment stopped on " + node + " without an outcome; see its lab.log";
            getContext().getLog().error("{}: {}", job.name(), reason);
            if (run != null && run.mirror != null) {
                run.ended(new ExperimentSupervisor.Outcome(job.runDir(), job.name(), run.dir, false, "", reason));
                return this;
            }
            end(new Jobs.Ended(job.name(), job.attempt(), job.runDir().replaceAll(".*/", ""), job.runDir(), node, false, "", reason));
        }
        return this;
    }

    /** Reports the end, then confirms the job: only now may the producer send this slot another. */
    private void end(Jobs.Ended ended) {
        if (current == null) {
            return;
        }
        current.message().replyTo().tell(ended);
        current.confirmTo().tell(ConsumerController.confirmed());
        current = null;
    }
}
