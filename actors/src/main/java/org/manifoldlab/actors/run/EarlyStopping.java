package org.manifoldlab.actors.run;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.manifoldlab.config.EarlyStoppingSpec;
import org.manifoldlab.config.EarlyStoppingSpec.Monitor;
import org.manifoldlab.core.nn.LayerMetrics;

/**
 * The early-stopping rule of {@code training.earlyStopping} over the validation accuracies of
 * successive epochs: an epoch that beats the best of every earlier epoch (the mean over the
 * layers, or with monitor any-layer some layer's own best) resets the count; training stops after
 * the epoch that makes the count reach {@code patience}. Ties are not improvements. Fed again with
 * the rows already written when a run resumes, so a resumed run stops at the same epoch as an
 * uninterrupted one.
 */
final class EarlyStopping {

    private static final int NETWORK = 0;  // the key of the mean's best

    private final int patience;
    private final Monitor monitor;
    private final Map<Integer, Double> best = new HashMap<>();
    private int withoutImprovement;

    EarlyStopping(EarlyStoppingSpec spec) {
        if (spec.patience() < 1) {
            throw new IllegalArgumentException("patience must be positive, was " + spec.patience());
        }
        this.patience = spec.patience();
        this.monitor = spec.monitor();
    }

    /** One epoch's validation metrics (every layer); true when training stops after this epoch. */
    boolean observe(List<LayerMetrics> layers) {
        boolean improved = false;
        if (monitor == Monitor.MEAN) {
            improved = improves(NETWORK, layers.stream().mapToDouble(LayerMetrics::accuracy).average().orElseThrow());
        } else {
            for (LayerMetrics m : layers) {
                improved |= improves(m.layer(), m.accuracy());
            }
        }
        withoutImprovement = improved ? 0 : withoutImprovement + 1;
        return withoutImprovement >= patience;
    }

    private boolean improves(int key, double accuracy) {
        Double before = best.get(key);
        if (before == null || accuracy > before) {
            best.put(key, accuracy);
            return true;
        }
        return false;
    }

    /** Epochs in a row, up to the last one observed, without an improvement. */
    int withoutImprovement() {
        return withoutImprovement;
    }

    /** The monitored quantity, for the log line. */
    String monitored() {
        return monitor == Monitor.MEAN ? "the layers' mean validation accuracy" : "no layer's validation accuracy";
    }
}
