package org.manifoldlab.actors.attack;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.manifoldlab.actors.Compute;
import org.manifoldlab.core.attack.Attack;
import org.manifoldlab.core.attack.ClipRange;
import org.manifoldlab.core.attack.RobustnessRecord;
import org.manifoldlab.core.attack.RobustnessTally;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.rundir.RunEnd;

/**
 * The attack grid of one analysis point: hands probe batches to a pool of attacker actors,
 * which stream perturbed batches to the evaluators; at most twice as many batches as attackers
 * are in the air. There is one evaluator per attacker (no more than there are batches), and
 * batch b goes to evaluator b mod n, so each tallies whole batches and computes their clean
 * predictions once. A single evaluator tallied everything: a grid of noise and FGSM is about
 * 85% tallies, so one core did most of the round. A failed attacker is replaced and its batch
 * done again. Replies with the records of the evaluators' merged counts and stops.
 */
public final class AttackRound extends AbstractBehavior<AttackRound.Command> {

    public sealed interface Command {
    }

    private record Done(AttackWorker.JobDone done) implements Command {
    }

    private record Ack(AttackEvaluatorActor.Tallied tallied) implements Command {
    }

    private record Counted(AttackEvaluatorActor.Tallies tallies) implements Command {
    }

    /** The reply: every record, or the reason there are none. */
    public record Finished(List<RobustnessRecord> records, String failure) {
    }

    /** A replaced attacker, for the round's owner to record. */
    public record Restarted(String attacker, String cause, int batch) {
    }

    /** Batches fully tallied so far, with an estimate of the time left. */
    public record Progressed(int done, int batches, long etaSeconds) {
    }

    private static final int MAX_REPLACEMENTS = 3;

    private final Network snapshot;
    private final Dataset probe;
    private final ClipRange clip;
    private final long seed;
    private final List<Attack> attacks;
    private final ActorRef<Finished> replyTo;
    private final ActorRef<Restarted> restarts;
    private final ActorRef<Progressed> progress;
    private final long startNanos = System.nanoTime();
    private final List<ActorRef<AttackEvaluatorActor.Command>> evaluators = new ArrayList<>();
    private final RobustnessTally merged;
    private int counted;
    private final ActorRef<AttackWorker.JobDone> done;
    private final Deque<Integer> pending = new ArrayDeque<>();
    private final Map<ActorRef<AttackWorker.Command>, Integer> busy = new HashMap<>();
    private final List<ActorRef<AttackWorker.Command>> idle = new ArrayList<>();
    private final Map<Integer, Integer> setsOf = new HashMap<>();
    private final Map<Integer, Set<String>> tallied = new HashMap<>();
    private final int batches;
    private final int expectedSets;
    private int complete;
    private int replacements;

    public static Behavior<Command> create(Network snapshot, Dataset probe, long seed, List<Attack> attacks, int workers,
                                           int failAtLayer, ActorRef<Finished> replyTo, ActorRef<Restarted> restarts,
                                           ActorRef<Progressed> progress) {
        return Behaviors.setup(ctx -> new AttackRound(ctx, snapshot, probe, seed, attacks, workers, failAtLayer, replyTo, restarts,
                progress));
    }

    private AttackRound(ActorContext<Command> ctx, Network snapshot, Dataset probe, long seed, List<Attack> attacks, int workers,
                        int failAtLayer, ActorRef<Finished> replyTo, ActorRef<Restarted> restarts, ActorRef<Progressed> progress) {
        super(ctx);
        this.snapshot = snapshot;
        this.probe = probe;
        this.clip = ClipRange.of(probe);
        this.seed = seed;
        this.attacks = attacks;
        this.replyTo = replyTo;
        this.restarts = restarts;
        this.progress = progress;
        this.batches = (probe.size() + AttackPlan.BATCH_ROWS - 1) / AttackPlan.BATCH_ROWS;
        this.expectedSets = AttackPlan.setsPerBatch(attacks, snapshot.depth());
        ActorRef<AttackEvaluatorActor.Tallied> acks = ctx.messageAdapter(AttackEvaluatorActor.Tallied.class, Ack::new);
        for (int i = 1; i <= Math.max(1, Math.min(workers, batches)); i++) {
            ActorRef<AttackEvaluatorActor.Command> evaluator = ctx.spawn(
                    AttackEvaluatorActor.create(snapshot.frozenCopy(), probe, clip, seed, acks), "evaluator-" + i, compute());
            ctx.watch(evaluator);
            evaluators.add(evaluator);
        }
        this.merged = new RobustnessTally(snapshot.depth());
        this.done = ctx.messageAdapter(AttackWorker.JobDone.class, Done::new);
        for (int b = 0; b < batches; b++) {
            pending.add(b);
        }
        for (int i = 1; i <= Math.min(workers, batches); i++) {
            idle.add(spawnWorker("attacker-" + i, i == 1 ? failAtLayer : 0));
        }
        dispatch();
    }

    private static DispatcherSelector compute() {
        return Compute.dispatcher();
    }

    private ActorRef<AttackWorker.Command> spawnWorker(String name, int failAtLayer) {
        ActorRef<AttackWorker.Command> w = getContext().spawn(
                AttackWorker.create(snapshot.frozenCopy(), probe, clip, seed, attacks, failAtLayer), name, compute());
        getContext().watch(w);
        return w;
    }

    /** Idle attackers take pending batches while fewer than 2 x attackers are not yet fully tallied. */
    private void dispatch() {
        int workers = busy.size() + idle.size();
        while (!idle.isEmpty() && !pending.isEmpty() && (batches - pending.size() - complete) < 2 * workers) {
            ActorRef<AttackWorker.Command> w = idle.remove(0);
            int batch = pending.poll();
            busy.put(w, batch);
            w.tell(new AttackWorker.Perturb(batch, evaluators.get(batch % evaluators.size()), done));
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Done.class, this::onDone)
                .onMessage(Ack.class, this::onAck)
                .onMessage(Counted.class, this::onCounted)
                .onSignal(ChildFailed.class, this::onChildFailed)
                .onSignal(Terminated.class, stopped -> {
                    replyTo.tell(new Finished(List.of(), stopped.getRef().path().name() + " stopped without an answer"));
                    return Behaviors.stopped();
                })
                .build();
    }

    private Behavior<Command> onDone(Done message) {
        int batch = message.done().batch();
        setsOf.put(batch, message.done().sets());
        busy.entrySet().removeIf(e -> {
            if (e.getValue() == batch) {
                idle.add(e.getKey());
                return true;
            }
            return false;
        });
        return checkComplete(batch);
    }

    private Behavior<Command> onAck(Ack ack) {
        AttackEvaluatorActor.Tallied t = ack.tallied();
        tallied.computeIfAbsent(t.batch(), b -> new HashSet<>()).add(t.attack() + "@" + t.layer());
        return checkComplete(t.batch());
    }

    private Behavior<Command> checkComplete(int batch) {
        Integer sets = setsOf.get(batch);
        Set<String> got = tallied.get(batch);
        if (sets != null && sets == expectedSets && (sets == 0 || got != null && got.size() == sets)) {
            setsOf.remove(batch);
            tallied.remove(batch);
            complete++;
            double perBatch = (System.nanoTime() - startNanos) / 1e9 / complete;
            progress.tell(new Progressed(complete, batches, Math.round(perBatch * (batches - complete))));
        }
        if (complete == batches) {
            ActorRef<AttackEvaluatorActor.Tallies> counts = getContext().messageAdapter(AttackEvaluatorActor.Tallies.class, Counted::new);
            evaluators.forEach(e -> e.tell(new AttackEvaluatorActor.Counts(counts)));
            return this;
        }
        dispatch();
        return this;
    }

    /** Every evaluator's counts merged (exactly, per batch), then the records of all of them. */
    private Behavior<Command> onCounted(Counted c) {
        merged.merge(c.tallies().counts());
        if (++counted < evaluators.size()) {
            return this;
        }
        replyTo.tell(new Finished(merged.records(clip, seed), null));
        return Behaviors.stopped();
    }

    private Behavior<Command> onChildFailed(ChildFailed failed) {
        Integer batch = busy.remove(failed.getRef().<AttackWorker.Command>unsafeUpcast());
        if (batch == null || ++replacements > MAX_REPLACEMENTS) {
            replyTo.tell(new Finished(List.of(), failed.getRef().path().name() + " failed: " + RunEnd.reason(failed.cause())));
            return Behaviors.stopped();
        }
        restarts.tell(new Restarted(failed.getRef().path().name(), String.valueOf(failed.cause()), batch));
        pending.addFirst(batch);
        idle.add(spawnWorker(failed.getRef().path().name() + "-r" + replacements, 0));
        dispatch();
        return this;
    }
}
