package org.manifoldlab.actors.attack;

import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.manifoldlab.actors.training.Activations;
import org.manifoldlab.core.attack.Attack;
import org.manifoldlab.core.attack.Attacker;
import org.manifoldlab.core.attack.ClipRange;
import org.manifoldlab.core.attack.ProbeBatch;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.Network;

/**
 * An attacker actor: takes clean probe batches and its own frozen copy of the snapshot, and
 * streams every perturbed batch of the grid to the evaluator. Holds nothing between jobs, so a
 * replacement simply does a lost job again (the evaluator counts a batch once).
 *
 * <p>A job runs one step a message ({@link Attacker#job}: the noise, then FGSM a layer at a
 * time, then PGD an attack and layer at a time), each step followed by a message to itself. A
 * job of the default grid is seconds of gemms; done in one message it held a thread of the
 * two-thread compute dispatcher all that time, so while both attackers ran, the evaluator's
 * mailbox filled with perturbed batches and the next epoch's trainers waited, and after them
 * the evaluator tallied alone on one core. Between steps the dispatcher (throughput 1) runs
 * the evaluator and the trainers, and a stop reaches the attacker within a step.
 */
public final class AttackWorker extends AbstractBehavior<AttackWorker.Command> {

    public sealed interface Command {
    }

    /** Perturb probe batch {@code batch} with every attack at every layer. */
    public record Perturb(int batch, ActorRef<AttackEvaluatorActor.Command> evaluator, ActorRef<JobDone> replyTo) implements Command {
    }

    /** All {@code sets} perturbed batches of a job have been sent. */
    public record JobDone(int batch, int sets) {
    }

    /** The running job's next step (sent to itself). */
    private enum NextStep implements Command {
        INSTANCE
    }

    private final Attacker attacker;
    private final List<ProbeBatch> batches;
    private final List<Attack> attacks;
    private final int[] layers;
    private final int failAtLayer;
    /** The running job and its request, or null between jobs. */
    private Attacker.Job job;
    private Perturb request;
    private int sent;

    /** @param failAtLayer a layer whose first perturbation makes this worker throw (fault injection), or 0 */
    public static Behavior<Command> create(Network frozen, Dataset probe, ClipRange clip, long seed, List<Attack> attacks,
                                           int failAtLayer) {
        return Behaviors.setup(ctx -> new AttackWorker(ctx, frozen, probe, clip, seed, attacks, failAtLayer));
    }

    private AttackWorker(ActorContext<Command> ctx, Network frozen, Dataset probe, ClipRange clip, long seed, List<Attack> attacks,
                         int failAtLayer) {
        super(ctx);
        this.attacker = new Attacker(frozen, clip, seed);
        this.batches = ProbeBatch.split(probe, AttackPlan.BATCH_ROWS, frozen.dataType());
        this.attacks = List.copyOf(attacks);
        this.layers = AttackPlan.layers(frozen.depth());
        this.failAtLayer = failAtLayer;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Perturb.class, this::onPerturb)
                .onMessage(NextStep.class, next -> onNextStep())
                .onSignal(PostStop.class, stopped -> release())
                .build();
    }

    /**
     * A stopped attacker's buffers (its network's activations, its gradients and perturbed
     * batches, its probe batches: about 75 MB at the default sizes) are freed at once: the next
     * round's attacker then reuses that memory instead of mapping fresh pages, which on this kind
     * of machine cost about 10 us each, while these wait for a collection. The weights are the
     * snapshot's and stay.
     */
    private Behavior<Command> release() {
        attacker.release();
        batches.forEach(b -> b.x().close());
        return this;
    }

    private Behavior<Command> onPerturb(Perturb perturb) {
        if (job != null) {
            throw new IllegalStateException("batch " + perturb.batch() + " offered while batch " + request.batch() + " has "
                    + job.stepsLeft() + " steps left");
        }
        request = perturb;
        sent = 0;
        job = attacker.job(batches.get(perturb.batch()), attacks, layers);
        return next();
    }

    private Behavior<Command> onNextStep() {
        job.step((attack, layer, perturbed) -> {
            if (failAtLayer > 0 && layer == failAtLayer) {
                throw new IllegalStateException("injected fault: attacker at layer " + layer + ", " + attack.describe());
            }
            request.evaluator().tell(new AttackEvaluatorActor.Tally(request.batch(), attack, layer, Activations.copyOf(perturbed)));
            sent++;
        });
        return next();
    }

    /** The next step as a message to itself, or the job's end reported. */
    private Behavior<Command> next() {
        if (job.done()) {
            request.replyTo().tell(new JobDone(request.batch(), sent));
            job = null;
            request = null;
        } else {
            getContext().getSelf().tell(NextStep.INSTANCE);
        }
        return this;
    }
}
