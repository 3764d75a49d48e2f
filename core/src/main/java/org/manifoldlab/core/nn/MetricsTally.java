package org.manifoldlab.core.nn;

import java.util.ArrayList;
import java.util.List;

/** Running sums of loss and correct predictions per layer, turned into {@link LayerMetrics}. */
public final class MetricsTally {

    private final double[] lossSum;
    private final long[] correct;
    private final long[] samples;

    public MetricsTally(int layers) {
        lossSum = new double[layers];
        correct = new long[layers];
        samples = new long[layers];
    }

    public void add(int layer, SoftmaxCrossEntropy.Tally tally) {
        lossSum[layer - 1] += tally.lossSum();
        correct[layer - 1] += tally.correct();
        samples[layer - 1] += tally.samples();
    }

    /** The layers that saw at least one sample, in order. */
    public List<LayerMetrics> metrics() {
        List<LayerMetrics> out = new ArrayList<>();
        for (int i = 0; i < samples.length; i++) {
            if (samples[i] > 0) {
                out.add(new LayerMetrics(i + 1, lossSum[i] / samples[i], (double) correct[i] / samples[i], samples[i]));
            }
        }
        return out;
    }
}
