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

    /** The running sums, copied (to checkpoint an epoch in progress). */
    public record State(double[] lossSum, long[] correct, long[] samples) {
    }

    public State state() {
        return new State(lossSum.clone(), correct.clone(), samples.clone());
    }

    /** Continues from saved sums; the same additions afterwards give the same bits as never stopping. */
    public void restore(State state) {
        System.arraycopy(state.lossSum(), 0, lossSum, 0, lossSum.length);
        System.arraycopy(state.correct(), 0, correct, 0, correct.length);
        System.arraycopy(state.samples(), 0, samples, 0, samples.length);
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
