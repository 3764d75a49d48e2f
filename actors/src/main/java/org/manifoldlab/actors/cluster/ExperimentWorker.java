package org.manifoldlab.actors.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.delivery.ConsumerController;
import org.apache.pekko.actor.typed.delivery.ProducerController;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.manifoldlab.actors.run.CheckpointStore;
import org.manifoldlab.actors.run.ExperimentSupervisor;
import org.manifoldlab.actors.run.Resume;
import org.manifoldlab.actors.training.LayerGroupTrainer;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.config.SpecException;
import org.manifoldlab.config.Specs;
import org.manifoldlab.rundir.Manifest;
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
 */
public final class ExperimentWorker extends AbstractBehavior<ExperimentWorker.Command> {

    /** Under this key every slot of every compute node offers to run experiments. */
    public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "manifold-lab-slots");

    public interface Command {
    }

    /** From a coordinator: the ProducerController its jobs for this slot come from. */
    public record Attach(ActorRef<ProducerController.Command<Jobs.RunExperiment>> producer) implements Command, CborSerializable {
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

    /**
     * @param node    how reports name this node (host:port)
     * @param version the project version this node runs; a job from another version is refused
     * @param runsDir the runs directory jobs name their runs relative to
     */
    public static Behavior<Command> create(String node, String version, Path runsDir) {
        return Behaviors.setup(ctx -> new ExperimentWorker(ctx, node, version, runsDir));
    }

    private ExperimentWorker(ActorContext<Command> ctx, String node, String version, Path runsDir) {
        super(ctx);
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
                .onMessage(ProgressSeen.class, p -> {
                    if (current != null) {
                        Jobs.RunExperiment job = current.message();
                        job.replyTo().tell(new Jobs.Progress(job.name(), job.attempt(), node, p.line().line()));
                    }
                    return this;
                })
                .build();
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
        ExperimentSpec spec;
        try {
            spec = Specs.parseOne(job.specJson(), true);
        } catch (SpecException e) {
            return "the job's spec does not parse on " + node + ": " + e.getMessage();
        }
        if (!version.equals(spec.version())) {
            return "the coordinator runs manifold-lab " + spec.version() + ", node " + node + " runs " + version
                    + "; every node must run the same version";
        }
        Path dir = resolve(job.runDir());
        if (dir == null) {
            return "refused: run " + job.runDir() + " is not a path inside this node's runs directory " + runsDir;
        }
        if (!Files.isDirectory(dir)) {
            return "run directory " + dir + " is not visible on node " + node
                    + "; the runs directory must be shared by every node at the same path";
        }
        RunDirectory run = new RunDirectory(dir);
        try {
            String foreign = Files.isRegularFile(run.spec()) ? null : run.resetRefusal(spec.name());
            if (foreign != null) {
                return "run directory " + dir + ": " + foreign + "; the job was refused and nothing in it was touched";
            }
        } catch (IOException e) {
            return "run directory " + dir + ": " + RunEnd.reason(e);
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
            List<CheckpointStore.Entry> checkpoints = new CheckpointStore(run.checkpoints(), spec.checkpoint().keep()).entries();
            String child = "experiment-" + spec.name() + "-" + job.attempt();
            ActorRef<ExperimentSupervisor.Command> experiment = getContext().spawn(
                    Resume.startOrContinue(spec, dir, version, finished, LayerGroupTrainer::create, progress, lock), child);
            job.replyTo().tell(new Jobs.Started(job.name(), job.attempt(), job.runDir(), node,
                    checkpoints.isEmpty() ? 0 : checkpoints.get(0).epoch(), checkpoints.isEmpty() ? 0 : checkpoints.get(0).step()));
            getContext().watchWith(experiment, new ExperimentStopped(job.attempt()));
            return null;
        } catch (IOException | RuntimeException e) {
            lock.close();
            return "run directory " + dir + ": " + RunEnd.reason(e);
        }
    }

    /** The run a job names, relative to the runs directory; null when it is absolute or resolves outside it. */
    private Path resolve(String run) {
        try {
            Path relative = Path.of(run);
            Path dir = runsDir.resolve(relative).normalize();
            return relative.isAbsolute() || !dir.startsWith(runsDir) || dir.equals(runsDir) ? null : dir;
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    private Behavior<Command> onFinished(Finished f) {
        ExperimentSupervisor.Outcome o = f.outcome();
        if (current != null) {
            Jobs.RunExperiment job = current.message();
            end(new Jobs.Ended(job.name(), job.attempt(), o.id(), job.runDir(), node, o.completed(), o.fingerprint(), o.reason()));
        }
        return this;
    }

    /** An experiment that stopped without an outcome (it threw while starting, say) must not hold the slot. */
    private Behavior<Command> onExperimentStopped(ExperimentStopped stopped) {
        if (current != null && current.message().attempt() == stopped.attempt()) {
            Jobs.RunExperiment job = current.message();
            String reason = "the experiment stopped on " + node + " without an outcome; see its lab.log";
            getContext().getLog().error("{}: {}", job.name(), reason);
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
