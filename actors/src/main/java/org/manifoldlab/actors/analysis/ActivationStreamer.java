package org.manifoldlab.actors.analysis;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.manifoldlab.actors.Compute;
import org.manifoldlab.actors.training.Activations;
import org.manifoldlab.core.data.Batch;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.manifold.IntrinsicDimension;
import org.manifoldlab.core.nn.EpochMetrics;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.nn.PlainTrainer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Drives a frozen snapshot: measures every layer's test metrics, then streams the probe set
 * through it, batch by batch, sending each requested layer's activations to its analyzer.
 * At most {@code WINDOW} batches are unacknowledged, so memory stays bounded whatever the
 * probe size. Streams are jobs, run in order; a failed analyzer's layers are simply streamed again.
 */
public final class ActivationStreamer extends AbstractBehavior<ActivationStreamer.Command> {

    public sealed interface Command {
    }

    /** Evaluate every layer's readout on the test split. */
    public record Evaluate(Dataset test, int epoch, ActorRef<EpochMetrics> replyTo) implements Command {
    }

    /** Stream the probe activations of these layers to their analyzers, then end each layer's stream. */
    public record Stream(Map<Integer, ActorRef<Analyzer.Command>> analyzerOf, ActorRef<Analyzer.LayerResult> resultsTo)
            implements Command {
    }

    /** Estimate the intrinsic dimension of the probe inputs (cached per probe set). */
    public record InputDimension(int blocks, ActorRef<InputDimensionResult> replyTo) implements Command {
    }

    /** The probe inputs' TwoNN and Levina-Bickel estimates, or why there are none. */
    public record InputDimensionResult(IntrinsicDimension dimension, String failure) {
    }

    private record Ack(Analyzer.Accumulated accumulated) implements Command {
    }

    private enum Next implements Command { INSTANCE }

    static final int BATCH_ROWS = Compute.PROBE_CHUNK_ROWS;
    static final int WINDOW = 2;

    private final Network network;
    private final Dataset probe;
    private final ActorRef<Analyzer.Accumulated> acks;
    private final Deque<Stream> jobs = new ArrayDeque<>();
    private final Map<Integer, Batch> batches = new HashMap<>();  // preallocated per batch size (full, last)
    private Stream current;
    private int nextBatch;
    private int acked;

    public static Behavior<Command> create(Network frozen, Dataset probe) {
        return Behaviors.setup(ctx -> new ActivationStreamer(ctx, frozen, probe));
    }

    private ActivationStreamer(ActorContext<Command> ctx, Network frozen, Dataset probe) {
        super(ctx);
        this.network = frozen;
        this.probe = probe;
        this.acks = ctx.messageAdapter(Analyzer.Accumulated.class, Ack::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Evaluate.class, this::onEvaluate)
                .onMessage(InputDimension.class, this::onInputDimension)
                .onMessage(Stream.class, this::onStream)
                .onMessage(Ack.class, this::onAck)
                .onMessageEquals(Next.INSTANCE, this::onNext)
                .onSignal(PostStop.class, stopped -> release())
                .build();
    }

    /** The round's copy's buffers and the batches are freed at once, for the next round to reuse (see AttackWorker). */
    private Behavior<Command> release() {
        network.releaseBuffers();
        batches.values().forEach(b -> b.x().close());
        return this;
    }

    private Behavior<Command> onEvaluate(Evaluate m) {
        m.replyTo().tell(PlainTrainer.evaluate(network, m.test(), BATCH_ROWS, m.epoch(), "test"));
        return this;
    }

    private Behavior<Command> onInputDimension(InputDimension m) {
        try {
            m.replyTo().tell(new InputDimensionResult(InputDimensions.of(probe, m.blocks()), null));
        } catch (IllegalArgumentException tooFewPoints) {
            m.replyTo().tell(new InputDimensionResult(null, tooFewPoints.getMessage()));
        }
        return this;
    }

    private Behavior<Command> onStream(Stream job) {
        jobs.add(job);
        if (current == null) {
            startNextJob();
        }
        return this;
    }

    private void startNextJob() {
        current = jobs.poll();
        nextBatch = 0;
        acked = 0;
        if (current != null) {
            getContext().getSelf().tell(Next.INSTANCE);
        }
    }

    private int batches() {
        return (probe.size() + BATCH_ROWS - 1) / BATCH_ROWS;
    }

    /** Streams the next batch if the window allows. */
    private Behavior<Command> onNext() {
        if (current == null || nextBatch >= batches() || (nextBatch - acked / current.analyzerOf().size()) >= WINDOW) {
            return this;
        }
        int from = nextBatch * BATCH_ROWS;
        int rows = Math.min(BATCH_ROWS, probe.size() - from);
        Batch batch = batches.computeIfAbsent(rows, r -> new Batch(network.dataType(), r, probe.features())).fillRange(probe, from);
        int deepest = current.analyzerOf().keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
        INDArray h = batch.x();
        for (int l = 1; l <= deepest; l++) {
            h = network.layer(l).forward(h);
            ActorRef<Analyzer.Command> analyzer = current.analyzerOf().get(l);
            if (analyzer != null) {
                analyzer.tell(new Analyzer.Accumulate(l, nextBatch, Activations.copyOf(h), acks));
            }
        }
        nextBatch++;
        if (nextBatch == batches()) {
            current.analyzerOf().forEach((layer, analyzer) -> analyzer.tell(new Analyzer.EndOfStream(layer, current.resultsTo())));
            startNextJob();
        } else {
            getContext().getSelf().tell(Next.INSTANCE);
        }
        return this;
    }

    private Behavior<Command> onAck(Ack ack) {
        if (current != null) {
            acked++;
            getContext().getSelf().tell(Next.INSTANCE);
        }
        return this;
    }
}
