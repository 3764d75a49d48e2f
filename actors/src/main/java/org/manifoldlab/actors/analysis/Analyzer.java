package org.manifoldlab.actors.analysis;

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
import org.manifoldlab.core.manifold.IntrinsicDimension;
import org.manifoldlab.core.spectrum.CovarianceAccumulator;
import org.manifoldlab.core.spectrum.LayerSpectrum;
import org.manifoldlab.core.spectrum.ProbeRows;
import org.manifoldlab.core.spectrum.SpectrumJackknife;
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
    public record LayerResult(int layer, LayerSpectrum spectrum, double[] eigenvalues, long samples, int deadUnits, String fitFailure) {
    }

    private final int epoch;
    private final long seed;
    private final SpectrumSettings settings;
    private final int failOnLayer;
    private final int blocks;
    private final Map<Integer, CovarianceAccumulator> accumulators = new HashMap<>();
    private final Map<Integer, ProbeRows> rows = new HashMap<>();
    private final Map<List<Integer>, INDArray> columnMajor = new HashMap<>();  // preallocated per [rows, width]

    /**
     * @param failOnLayer a layer whose first batch makes this analyzer throw (fault injection), or 0
     * @param blocks      jackknife blocks for intervals and the layers' intrinsic dimensions; 0 for none
     *                    (then only the covariance is kept, O(width^2); else also the rows, O(probes width))
     */
    public static Behavior<Command> create(int epoch, long seed, SpectrumSettings settings, int failOnLayer, int blocks) {
        return Behaviors.setup(ctx -> new Analyzer(ctx, epoch, seed, settings, failOnLayer, blocks));
    }

    private Analyzer(ActorContext<Command> ctx, int epoch, long seed, SpectrumSettings settings, int failOnLayer, int blocks) {
        super(ctx);
        this.blocks = blocks;
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
                .onSignal(PostStop.class, stopped -> {
                    accumulators.values().forEach(CovarianceAccumulator::close);  // a stream that never ended
                    columnMajor.values().forEach(INDArray::close);
                    return this;
                })
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
        if (blocks > 0) {
            rows.computeIfAbsent(m.layer(), l -> new ProbeRows(a.cols(), 2000)).append(a.values(), a.rows(), a.cols(), a.order());
        }
        m.ackTo().tell(new Accumulated(m.layer(), m.batch()));
        return this;
    }

    private Behavior<Command> onEnd(EndOfStream m) {
        CovarianceAccumulator acc = accumulators.remove(m.layer());
        if (acc == null) {
            throw new IllegalStateException("end of stream for layer " + m.layer() + " before any batch");
        }
        ProbeRows kept = rows.remove(m.layer());
        try (acc) {
            reply(m, acc, kept);
        }
        return this;
    }

    private void reply(EndOfStream m, CovarianceAccumulator acc, ProbeRows kept) {
        var spectrum = acc.spectrum();
        try {
            LayerSpectrum s = LayerSpectrum.analyze(m.layer(), epoch, seed, spectrum, acc.deadUnits(), settings);
            if (kept != null) {
                s = withEstimates(s, kept, acc);
            }
            m.replyTo().tell(new LayerResult(m.layer(), s, spectrum.eigenvalues(), spectrum.samples(), acc.deadUnits(), null));
        } catch (IllegalArgumentException unfittable) {
            m.replyTo().tell(new LayerResult(m.layer(), null, spectrum.eigenvalues(), spectrum.samples(), acc.deadUnits(),
                    unfittable.getMessage()));
        }
    }

    /** The jackknife intervals and the layer's own intrinsic dimension (left NaN when too few distinct points). */
    private LayerSpectrum withEstimates(LayerSpectrum s, ProbeRows kept, CovarianceAccumulator acc) {
        int g = Math.min(blocks, kept.rows());
        try {
            s = s.withJackknife(SpectrumJackknife.of(kept, acc, s.fit(), s.participationRatio().estimate(), g));
        } catch (IllegalArgumentException replicateUnfittable) {
            getContext().getLog().debug("layer {}: no jackknife interval: {}", s.layer(), replicateUnfittable.getMessage());
        }
        try {
            IntrinsicDimension d = IntrinsicDimension.of(kept, g);
            s = s.withLayerDims(d.twoNn().d(), d.levinaBickel().d());
        } catch (IllegalArgumentException tooFewPoints) {
            getContext().getLog().debug("layer {}: no intrinsic dimension: {}", s.layer(), tooFewPoints.getMessage());
        }
        return s;
    }
}
