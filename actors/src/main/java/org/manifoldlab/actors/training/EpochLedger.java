package org.manifoldlab.actors.training;

import java.util.List;
import org.manifoldlab.core.nn.LayerMetrics;
import org.manifoldlab.core.nn.MetricsTally;
import org.manifoldlab.core.nn.SoftmaxCrossEntropy;

/**
 * Sums one epoch's local errors as they arrive. Each layer's reports come from one trainer
 * in step order, so the sums are the plain loop's, bit for bit.
 */
public final class EpochLedger {

    private final int epoch;
    private final int batches;
    private final int reportsPerBatch;
    private final MetricsTally tally;
    private int batchesDone;
    private int reports;

    public EpochLedger(int epoch, int batches, int layers, int reportsPerBatch) {
        this.epoch = epoch;
        this.batches = batches;
        this.reportsPerBatch = reportsPerBatch;
        this.tally = new MetricsTally(layers);
    }

    /** Continues an epoch from a checkpoint taken after {@code batchesDone} of its batches. */
    public EpochLedger(int epoch, int batches, int layers, int reportsPerBatch, int batchesDone, MetricsTally.State partial) {
        this(epoch, batches, layers, reportsPerBatch);
        this.batchesDone = batchesDone;
        this.reports = batchesDone * reportsPerBatch;
        this.tally.restore(partial);
    }

    /** Every batch released so far has left the pipeline and been reported: a quiet point to checkpoint. */
    public boolean quiet(int released) {
        return batchesDone == released && reports == released * reportsPerBatch;
    }

    public int batchesDone() {
        return batchesDone;
    }

    public MetricsTally.State partial() {
        return tally.state();
    }

    public void add(LayerGroupTrainer.LocalError e) {
        tally.add(e.layer(), new SoftmaxCrossEntropy.Tally(e.lossSum(), e.correct(), e.samples()));
        reports++;
    }

    public void batchDone() {
        batchesDone++;
    }

    /** Every batch has left the pipeline and every layer has reported it. */
    public boolean complete() {
        return batchesDone == batches && reports == batches * reportsPerBatch;
    }

    public int epoch() {
        return epoch;
    }

    public List<LayerMetrics> metrics() {
        return tally.metrics();
    }
}
