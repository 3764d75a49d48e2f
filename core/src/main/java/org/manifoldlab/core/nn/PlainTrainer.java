package org.manifoldlab.core.nn;

import org.manifoldlab.core.data.Batch;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.spectrum.SpectralPenalty;
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
        SpectralPenalty.Settings penalty = network.rules().penalty();
        Batch penaltyBatch = penalty == null ? null : new Batch(network.dataType(), penalty.batch(), train.features());
        int stepsPerEpoch = (train.size() + batchSize - 1) / batchSize;
        for (int from = 0; from < train.size(); from += batchSize) {
            int rows = Math.min(batchSize, train.size() - from);
            Batch batch = rows == batchSize ? full : new Batch(network.dataType(), rows, train.features());
            batch.fill(train, order, from);
            long step = (long) (epoch - 1) * stepsPerEpoch + from / batchSize + 1;
            INDArray penaltyX = null;
            if (penalty != null && penalty.appliesAt(step)) {
                penaltyBatch.fill(train, SpectralPenalty.batchRows(seed, step, train.size(), penalty.batch()), 0);
                penaltyX = penaltyBatch.x();
            }
            TrainingStep.run(mode, network.layers(), batch.x(), batch.labels(), active, penaltyX, tally::add);
        }
        return new EpochMetrics(epoch, "train", tally.metrics());
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
