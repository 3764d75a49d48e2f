package org.manifoldlab.actors.analysis;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.manifoldlab.actors.training.Activations;
import org.manifoldlab.core.spectrum.CovarianceAccumulator;
import org.manifoldlab.core.spectrum.LayerSpectrum;
import org.manifoldlab.core.spectrum.SpectrumSettings;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Consumes hidden activations batch by batch into one covariance accumulator per layer
 * (memory O(width^2), whatever the probe size), and at the end of a layer's stream fits its
 * spectrum. Holds nothing between rounds: a replacement simply has the layer streamed again.
 */
public final class Analyzer extends AbstractBehavior<Analyzer.Command> {

    public sealed interface Command {
    }

    /** One batch of layer {@code layer}'s activations; acknowledged to {@code ackTo}. */
    public record Accumulate(int layer, int batch, Activations activations, ActorRef<Accumulated> ackTo) implements Command {
    }

    /** Every batch of the layer has been sent: fit the spectrum and reply. */
    public record EndOfStream(int layer, ActorRef<LayerResult> replyTo) implements Command {
    }

    public record Accumulated(int layer, int batch) {
    }

    /** A layer's spectrum, or why it could not be fitted (the eigenvalues are still there). */
    public record LayerResult(int layer, LayerSpectrum spectrum, double[] eigenvalues, long samples, String fitFailure) {
    }

    private final int epoch;
    private final long seed;
    private final SpectrumSettings settings;
    private final int failOnLayer;
    private final Map<Integer, CovarianceAccumulator> accumulators = new HashMap<>();
    private final Map<List<Integer>, INDArray> columnMajor = new HashMap<>();  // preallocated per [rows, width]

    /** @param failOnLayer a layer whose first batch makes this analyzer throw (fault injection), or 0 */
    public static Behavior<Command> create(int epoch, long seed, SpectrumSettings settings, int failOnLayer) {
        return Behaviors.setup(ctx -> new Analyzer(ctx, epoch, seed, settings, failOnLayer));
    }

    private Analyzer(ActorContext<Command> ctx, int epoch, long seed, SpectrumSettings settings, int failOnLayer) {
        super(ctx);
        this.epoch = epoch;
        this.seed = seed;
        this.settings = settings;
        this.failOnLayer = failOnLayer;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Accumulate.class, this::onAccumulate)
                .onMessage(EndOfStream.class, this::onEnd)
                .build();
    }

    private Behavior<Command> onAccumulate(Accumulate m) {
        if (m.layer() == failOnLayer) {
            throw new IllegalStateException("injected fault: analyzer of layer " + m.layer() + " at epoch " + epoch);
        }
        Activations a = m.activations();
        CovarianceAccumulator acc = accumulators.computeIfAbsent(m.layer(), l -> new CovarianceAccumulator(a.cols()));
        if (a.order() == 'c') {
            acc.accumulate(a.values(), a.rows(), a.cols());
        } else {
            acc.accumulate(a.into(columnMajor.computeIfAbsent(List.of(a.rows(), a.cols()),  // column-major: rebuild the array as it was
                    shape -> Nd4j.create(DataType.FLOAT, new long[] {a.rows(), a.cols()}, 'f'))));
        }
        m.ackTo().tell(new Accumulated(m.layer(), m.batch()));
        return this;
    }

    private Behavior<Command> onEnd(EndOfStream m) {
        CovarianceAccumulator acc = accumulators.remove(m.layer());
        if (acc == null) {
            throw new IllegalStateException("end of stream for layer " + m.layer() + " before any batch");
        }
        var spectrum = acc.spectrum();
        try {
            m.replyTo().tell(new LayerResult(m.layer(), LayerSpectrum.analyze(m.layer(), epoch, seed, spectrum, settings),
                    spectrum.eigenvalues(), spectrum.samples(), null));
        } catch (IllegalArgumentException unfittable) {
            m.replyTo().tell(new LayerResult(m.layer(), null, spectrum.eigenvalues(), spectrum.samples(), unfittable.getMessage()));
        }
        return this;
    }
}
