package org.manifoldlab.actors.monitor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Training progress of one experiment as the supervisor sees it: steps done, samples per
 * second over the last report interval, an ETA for the whole run, and the latest local error
 * of every layer. Plain state; the supervisor decides when to report it.
 */
public final class Progress {

    /** The latest loss and accuracy of one layer. */
    public record LayerError(double loss, double accuracy) {
    }

    private final int epochs;
    private final int stepsPerEpoch;
    private final Map<Integer, LayerError> latest = new TreeMap<>();
    private final long startNanos;
    private final long startStep;
    private long lastNanos;
    private long lastSamples;
    private long samples;
    private double analysisSeconds;
    private int analysisRounds;

    public Progress(int epochs, int stepsPerEpoch, long startStep, long nowNanos) {
        this.epochs = epochs;
        this.stepsPerEpoch = stepsPerEpoch;
        this.startStep = startStep;
        this.startNanos = nowNanos;
        this.lastNanos = nowNanos;
    }

    public void localError(int layer, double loss, double accuracy) {
        latest.put(layer, new LayerError(loss, accuracy));
    }

    public void batch(int rows) {
        samples += rows;
    }

    /**
     * An analysis round (spectra and attacks) took this long. Rounds overlap the next epoch's
     * training, so their cost shows in the step rate, except the last, which runs alone after
     * training: the ETA adds the mean round once one has been timed.
     */
    public void analysisDone(double seconds) {
        analysisSeconds += seconds;
        analysisRounds++;
    }

    /** The fields of a progress event; resets the rate interval. */
    public Map<String, Object> report(int epoch, long step, long nowNanos) {
        double seconds = (nowNanos - lastNanos) / 1e9;
        double rate = seconds > 0 ? (samples - lastSamples) / seconds : 0;
        lastNanos = nowNanos;
        lastSamples = samples;
        long totalSteps = (long) epochs * stepsPerEpoch;
        long done = step - startStep;
        double elapsed = (nowNanos - startNanos) / 1e9;
        double eta = done > 0 ? elapsed / done * (totalSteps - step) : Double.NaN;
        if (analysisRounds > 0) {
            eta += analysisSeconds / analysisRounds;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("epoch", epoch);
        fields.put("step", step);
        fields.put("stepInEpoch", step - (long) (epoch - 1) * stepsPerEpoch);
        fields.put("stepsPerEpoch", stepsPerEpoch);
        fields.put("totalSteps", totalSteps);
        fields.put("samplesPerSecond", Math.round(rate));
        fields.put("etaSeconds", Double.isNaN(eta) ? null : Math.round(eta));
        fields.put("etaIncludesAnalysis", analysisRounds > 0);
        Map<String, Object> layers = new LinkedHashMap<>();
        latest.forEach((l, e) -> layers.put(String.valueOf(l), Map.of("loss", e.loss(), "accuracy", e.accuracy())));
        fields.put("localErrors", layers);
        return fields;
    }

    /** One line for people: epoch, step/total, samples/s, ETA, latest local error per layer. */
    public static String line(String id, Map<String, Object> f) {
        StringBuilder s = new StringBuilder(String.format("%s: epoch %s step %s/%s, %s samples/s, ETA %s", id, f.get("epoch"),
                f.get("stepInEpoch"), f.get("stepsPerEpoch"), f.get("samplesPerSecond"),
                eta(f.get("etaSeconds")) + (Boolean.TRUE.equals(f.get("etaIncludesAnalysis")) ? "" : " + the analysis")));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Double>> layers = (Map<String, Map<String, Double>>) f.get("localErrors");
        layers.forEach((l, e) -> s.append(String.format(" | L%s %.3f/%.1f%%", l, e.get("loss"), 100 * e.get("accuracy"))));
        return s.toString();
    }

    /** "L1 loss 0.1234 acc 0.9600  L2 ..." for an epoch's per-layer means. */
    public static String epochSummary(java.util.List<org.manifoldlab.core.nn.LayerMetrics> metrics) {
        StringBuilder s = new StringBuilder();
        for (org.manifoldlab.core.nn.LayerMetrics m : metrics) {
            s.append(String.format("L%d loss %.4f acc %.4f  ", m.layer(), m.loss(), m.accuracy()));
        }
        return s.toString().trim();
    }

    public static String eta(Object seconds) {
        if (!(seconds instanceof Number n)) {
            return "-";
        }
        long s = n.longValue();
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s % 3600 / 60) : String.format("%dm%02ds", s / 60, s % 60);
    }
}
