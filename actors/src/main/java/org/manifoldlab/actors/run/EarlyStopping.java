package org.manifoldlab.actors.run;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.manifoldlab.core.nn.LayerMetrics;

/**
 * The early-stopping rule of {@code training.earlyStopping} over the validation accuracies of
 * successive epochs: an epoch in which some layer's accuracy exceeds that layer's best of every
 * earlier epoch resets the count; training stops after the epoch that makes the count reach
 * {@code patience}. Fed again with the rows already written when a run resumes, so a resumed run
 * stops at the same epoch as an uninterrupted one.
 */
final class EarlyStopping {

    private final int patience;
    private final Map<Integer, Double> best = new HashMap<>();
    private int withoutImprovement;

    EarlyStopping(int patience) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be positive, was " + patience);
        }
        this.patience = patience;
    }

    /** One epoch's validation metrics (every layer); true when training stops after this epoch. */
    boolean observe(List<LayerMetrics> layers) {
        boolean improved = false;
        for (LayerMetrics m : layers) {
            Double before = best.get(m.layer());
            if (before == null || m.accuracy() > before) {
                best.put(m.layer(), m.accuracy());
                improved = true;
            }
        }
        withoutImprovement = improved ? 0 : withoutImprovement + 1;
        return withoutImprovement >= patience;
    }

    /** Epochs in a row, up to the last one observed, in which no layer improved. */
    int withoutImprovement() {
        return withoutImprovement;
    }
}
