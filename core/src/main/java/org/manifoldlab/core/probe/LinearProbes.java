package org.manifoldlab.core.probe;

import java.util.ArrayList;
import java.util.List;
import org.manifoldlab.core.data.Batch;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.LocalLayer;
import org.manifoldlab.core.nn.MetricsTally;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.nn.Optimizer;
import org.manifoldlab.core.nn.SoftmaxReadout;
import org.manifoldlab.core.seed.Seeds;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains one {@link SoftmaxReadout} on every hidden layer of a frozen network, all at once: each
 * training batch goes forward through the frozen layers once and every layer's probe takes a
 * step on that layer's activations. The batch order of probe epoch k comes from
 * (seed, "linear-probe-order", k), so the result depends on the seed and the settings only.
 * Each probe's accuracy is then measured on the test split.
 */
public final class LinearProbes {

    public static final String PURPOSE = "linear-probe-order";

    /** How the probes learn. */
    public record Settings(int epochs, int batchSize, Optimizer optimizer) {
        public Settings {
            if (epochs < 1 || batchSize < 1) {
                throw new IllegalArgumentException("linear probes need epochs >= 1 and batchSize >= 1, got " + epochs + ", " + batchSize);
            }
        }
    }

    /**
     * One layer's probe: its mean loss and accuracy on the test split, and its accuracy on the
     * training split in its last epoch (a running mean while it learned), with what produced them.
     */
    public record Result(int layer, double loss, double accuracy, long samples, double trainAccuracy, int epochs, long seed) {
    }

    private LinearProbes() {
    }

    /** Probes of every layer of network (not modified: it runs on a frozen copy). */
    public static List<Result> train(Network network, Dataset train, Dataset test, Settings settings, long seed) {
        Network frozen = network.frozenCopy();
        int depth = frozen.depth();
        List<SoftmaxReadout> probes = new ArrayList<>();
        for (LocalLayer layer : frozen.layers()) {
            probes.add(new SoftmaxReadout(layer.dense().out(), frozen.classes(), frozen.dataType(), settings.optimizer()));
        }
        MetricsTally lastEpoch = null;
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
            int[] order = Seeds.permutation(Seeds.stream(seed, PURPOSE, epoch), train.size());
            lastEpoch = new MetricsTally(depth);
            forEachBatch(frozen, train, order, settings.batchSize(), lastEpoch, probes, true);
        }
        MetricsTally onTest = new MetricsTally(depth);
        forEachBatch(frozen, test, null, settings.batchSize(), onTest, probes, false);
        List<Result> out = new ArrayList<>();
        var trainMetrics = lastEpoch.metrics();
        var testMetrics = onTest.metrics();
        for (int l = 0; l < depth; l++) {
            out.add(new Result(l + 1, testMetrics.get(l).loss(), testMetrics.get(l).accuracy(), testMetrics.get(l).samples(),
                    trainMetrics.get(l).accuracy(), settings.epochs(), seed));
        }
        return out;
    }

    /** Every batch forward through the frozen layers; each probe learns (or is evaluated) on its layer's h. */
    private static void forEachBatch(Network frozen, Dataset data, int[] order, int batchSize, MetricsTally tally,
            List<SoftmaxReadout> probes, boolean learn) {
        Batch full = new Batch(frozen.dataType(), batchSize, data.features());
        for (int from = 0; from < data.size(); from += batchSize) {
            int rows = Math.min(batchSize, data.size() - from);
            Batch batch = rows == batchSize ? full : new Batch(frozen.dataType(), rows, data.features());
            if (order == null) {
                batch.fillRange(data, from);
            } else {
                batch.fill(data, order, from);
            }
            INDArray h = batch.x();
            for (LocalLayer layer : frozen.layers()) {
                h = layer.forward(h);
                SoftmaxReadout probe = probes.get(layer.index() - 1);
                tally.add(layer.index(), learn ? probe.step(h, batch.labels()) : probe.evaluate(h, batch.labels()));
            }
        }
    }
}
