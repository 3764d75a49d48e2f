package org.manifoldlab.actors.attack;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.manifoldlab.actors.training.Activations;
import org.manifoldlab.core.attack.Attack;
import org.manifoldlab.core.attack.AttackEvaluator;
import org.manifoldlab.core.attack.ClipRange;
import org.manifoldlab.core.attack.ProbeBatch;
import org.manifoldlab.core.attack.RobustnessTally;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.Network;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An evaluator: tallies the perturbed batches of the probe batches the round routes to it at
 * the readouts of its own frozen copy (the attacked layer's, or every layer's for noise),
 * acknowledging each. Counts are kept per batch and summed in batch order, so the numbers do
 * not depend on which attacker sent what when, or on how the batches were shared among
 * evaluators, and a batch sent twice (a job redone) counts once.
 */
public final class AttackEvaluatorActor extends AbstractBehavior<AttackEvaluatorActor.Command> {

    public sealed interface Command {
    }

    /** One perturbed batch: probe batch {@code batch} under {@code attack} aimed at {@code layer} (0: every layer). */
    public record Tally(int batch, Attack attack, int layer, Activations perturbed) implements Command {
    }

    /** Replies with the counts of everything tallied. */
    public record Counts(ActorRef<Tallies> replyTo) implements Command {
    }

    /** A copy of an evaluator's counts, per probe batch: evaluators of disjoint batches merge into one tally's numbers. */
    public record Tallies(RobustnessTally counts) {
    }

    /** Sent for every tally. */
    public record Tallied(int batch, String attack, int layer) {
    }

    private final AttackEvaluator evaluator;
    private final List<ProbeBatch> batches;
    private final ActorRef<Tallied> acks;
    private final Map<Integer, INDArray> buffers = new HashMap<>();

    public static Behavior<Command> create(Network frozen, Dataset probe, ClipRange clip, long seed, ActorRef<Tallied> acks) {
        return Behaviors.setup(ctx -> new AttackEvaluatorActor(ctx, frozen, probe, clip, seed, acks));
    }

    private AttackEvaluatorActor(ActorContext<Command> ctx, Network frozen, Dataset probe, ClipRange clip, long seed,
                                 ActorRef<Tallied> acks) {
        super(ctx);
        this.evaluator = new AttackEvaluator(frozen, clip, seed);
        this.batches = ProbeBatch.split(probe, AttackPlan.BATCH_ROWS, frozen.dataType());
        this.acks = acks;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Tally.class, this::onTally)
                .onMessage(Counts.class, r -> {
                    RobustnessTally copy = new RobustnessTally(evaluator.counts().depth());
                    copy.merge(evaluator.counts());
                    r.replyTo().tell(new Tallies(copy));
                    return this;
                })
                .onSignal(PostStop.class, stopped -> release())
                .build();
    }

    /** The round's buffers go back to the allocator at once, for the next round to reuse (see AttackWorker). */
    private Behavior<Command> release() {
        evaluator.release();
        buffers.values().forEach(INDArray::close);
        batches.forEach(b -> b.x().close());
        return this;
    }

    private Behavior<Command> onTally(Tally t) {
        Activations a = t.perturbed();
        INDArray x = buffers.computeIfAbsent(a.rows(), rows -> Nd4j.create(DataType.FLOAT, new long[] {rows, a.cols()}, a.order()));
        evaluator.tally(batches.get(t.batch()), t.attack(), t.layer(), a.into(x));
        acks.tell(new Tallied(t.batch(), t.attack().describe(), t.layer()));
        return this;
    }
}
