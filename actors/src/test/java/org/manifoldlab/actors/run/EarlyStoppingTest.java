package org.manifoldlab.actors.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.manifoldlab.config.EarlyStoppingSpec;
import org.manifoldlab.config.EarlyStoppingSpec.Monitor;
import org.manifoldlab.core.nn.LayerMetrics;

/** The early-stopping rule on hand-made validation accuracies. */
class EarlyStoppingTest {

    private static List<LayerMetrics> epoch(double... accuracies) {
        LayerMetrics[] m = new LayerMetrics[accuracies.length];
        for (int i = 0; i < accuracies.length; i++) {
            m[i] = new LayerMetrics(i + 1, 1 - accuracies[i], accuracies[i], 100);
        }
        return List.of(m);
    }

    private static EarlyStopping rule(int patience, Monitor monitor) {
        return new EarlyStopping(new EarlyStoppingSpec(patience, monitor));
    }

    @Test
    void theMeanOverTheLayersMustBeatItsBest() {
        EarlyStopping rule = rule(2, Monitor.MEAN);
        assertFalse(rule.observe(epoch(0.80, 0.70)), "epoch 1 sets the best mean, 0.75");
        assertFalse(rule.observe(epoch(0.90, 0.59)), "mean 0.745 though layer 1 improved: 1 without");
        assertEquals(1, rule.withoutImprovement());
        assertFalse(rule.observe(epoch(0.70, 0.82)), "mean 0.76 beats 0.75: the count starts again");
        assertEquals(0, rule.withoutImprovement());
        assertFalse(rule.observe(epoch(0.82, 0.70)), "mean 0.76 only ties: 1 without");
        assertTrue(rule.observe(epoch(0.95, 0.50)), "mean 0.725, 2 without: stop, though layer 1 reached its best");
    }

    @Test
    void stopsAfterPatienceEpochsInARowWithoutAnyLayerBeatingItsBest() {
        EarlyStopping rule = rule(2, Monitor.ANY_LAYER);
        assertFalse(rule.observe(epoch(0.80, 0.70)), "epoch 1 sets the bests");
        assertFalse(rule.observe(epoch(0.85, 0.69)), "layer 1 improved");
        assertFalse(rule.observe(epoch(0.84, 0.70)), "1 epoch without: 0.70 only equals layer 2's best");
        assertEquals(1, rule.withoutImprovement());
        assertFalse(rule.observe(epoch(0.83, 0.71)), "layer 2 improved: the count starts again");
        assertEquals(0, rule.withoutImprovement());
        assertFalse(rule.observe(epoch(0.85, 0.71)), "ties are not improvements: 1 without");
        assertTrue(rule.observe(epoch(0.10, 0.10)), "2 without: stop");
    }

    @Test
    void oneLayerImprovingIsEnoughToGoOn() {
        EarlyStopping rule = rule(1, Monitor.ANY_LAYER);
        assertFalse(rule.observe(epoch(0.5, 0.5, 0.5)));
        for (int e = 0; e < 5; e++) {
            assertFalse(rule.observe(epoch(0.4, 0.4, 0.51 + e * 0.01)), "the last layer still improves");
        }
        assertTrue(rule.observe(epoch(0.4, 0.4, 0.4)));
    }

    @Test
    void patienceMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> rule(0, Monitor.MEAN));
    }
}
