package org.manifoldlab.core.nn;

import org.manifoldlab.core.data.Batch;
import org.manifoldlab.core.data.Dataset;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains a network in a plain loop, no actors: the reference that the actor pipeline must
 * equal bit for bit. Each epoch visits the training set in the order drawn from
 * (seed, "batch-order", epoch); a final partial batch is used, not dropped.
 */
public final class PlainTrainer {

    private final Network network;
    private final TrainingMode mode;
    private final int batchSize;
    private final int totalEpochs;
    private final long seed;

    public PlainTrainer(Network network, TrainingMode mode, int batchSize, int totalEpochs, long seed) {
        this.network = network;
        this.mode = mode;
        this.batchSize = batchSize;
        this.totalEpochs = totalEpochs;
        this.seed = seed;
    }

    /** One epoch (numbered from 1); the metrics are running averages while the weights learn. */
    public EpochMetrics trainEpoch(Dataset train, int epoch) {
        int[] order = train.epochOrder(seed, epoch);
        MetricsTally tally = new MetricsTally(network.depth());
        int active = TrainingMode.layerwiseActiveLayer(epoch, totalEpochs, network.depth());
        Batch full = new Batch(network.dataType(), batchSize, train.features());
        for (int from = 0; from < train.size(); from += batchSize) {
            int rows = Math.min(batchSize, train.size() - from);
            Batch batch = rows == batchSize ? full : new Batch(network.dataType(), rows, train.features());
            batch.fill(train, order, from);
            switch (mode) {
                case LOCAL -> localStep(batch, network.depth(), tally);
                case LAYERWISE -> layerwiseStep(batch, active, tally);
                case BACKPROP -> backpropStep(batch, tally);
            }
        }
        return new EpochMetrics(epoch, "train", tally.metrics());
    }

    /** Every layer: forward with its current weights, then its local update. */
    private void localStep(Batch batch, int depth, MetricsTally tally) {
        INDArray x = batch.x();
        for (int l = 1; l <= depth; l++) {
            LocalLayer layer = network.layer(l);
            layer.forward(x);
            tally.add(l, layer.learnLocally(x, batch.labels()));
            x = layer.output();
        }
    }

    /** Layers below the active one are frozen; the active one learns locally; those above wait. */
    private void layerwiseStep(Batch batch, int active, MetricsTally tally) {
        INDArray x = batch.x();
        for (int l = 1; l < active; l++) {
            x = network.layer(l).forward(x);
        }
        LocalLayer layer = network.layer(active);
        layer.forward(x);
        tally.add(active, layer.learnLocally(x, batch.labels()));
    }

    /** Forward through all layers; the last readout's error flows back through every layer. */
    private void backpropStep(Batch batch, MetricsTally tally) {
        int depth = network.depth();
        INDArray x = batch.x();
        for (int l = 1; l <= depth; l++) {
            x = network.layer(l).forward(x);
        }
        for (int l = 1; l < depth; l++) {
            tally.add(l, network.layer(l).readoutLoss(batch.labels(), false));
        }
        tally.add(depth, network.layer(depth).readoutLoss(batch.labels(), true));
        for (int l = depth; l >= 1; l--) {
            LocalLayer layer = network.layer(l);
            INDArray input = l == 1 ? batch.x() : network.layer(l - 1).output();
            INDArray dx = l == 1 ? null : network.layer(l - 1).gradientBuffer();
            layer.backward(input, dx);
            layer.update();
        }
    }

    /** Loss and accuracy of every layer's readout on a data set, weights unchanged. */
    public static EpochMetrics evaluate(Network network, Dataset data, int batchSize, int epoch, String split) {
        MetricsTally tally = new MetricsTally(network.depth());
        Batch full = new Batch(network.dataType(), batchSize, data.features());
        for (int from = 0; from < data.size(); from += batchSize) {
            int rows = Math.min(batchSize, data.size() - from);
            Batch batch = rows == batchSize ? full : new Batch(network.dataType(), rows, data.features());
            batch.fillRange(data, from);
            INDArray x = batch.x();
            for (LocalLayer layer : network.layers()) {
                x = layer.forward(x);
                tally.add(layer.index(), layer.readoutLoss(batch.labels(), false));
            }
        }
        return new EpochMetrics(epoch, split, tally.metrics());
    }

    public Network network() {
        return network;
    }
}
