package org.manifoldlab.actors.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
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

    @Test
    void stopsAfterPatienceEpochsInARowWithoutAnyLayerBeatingItsBest() {
        EarlyStopping rule = new EarlyStopping(2);
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
        EarlyStopping rule = new EarlyStopping(1);
        assertFalse(rule.observe(epoch(0.5, 0.5, 0.5)));
        for (int e = 0; e < 5; e++) {
            assertFalse(rule.observe(epoch(0.4, 0.4, 0.51 + e * 0.01)), "the last layer still improves");
        }
        assertTrue(rule.observe(epoch(0.4, 0.4, 0.4)));
    }

    @Test
    void patienceMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(0));
    }
}
