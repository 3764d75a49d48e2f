package org.manifoldlab.serve;

import java.util.List;
import java.util.Map;

/**
 * A run's curves over epochs, per layer (layers from 1), as a sweep's page overlays them: test
 * accuracy and train loss from train.csv, alpha and participation ratio from spectrum-summary.csv.
 * Points whose value is NaN (not measured) are left out.
 */
public record Curves(Map<Integer, List<Point>> testAccuracy, Map<Integer, List<Point>> trainLoss, Map<Integer, List<Point>> alpha,
                     Map<Integer, List<Point>> participationRatio) {

    /** One measurement at the end of an epoch. */
    public record Point(int epoch, double value) {
    }

    static final Curves NONE = new Curves(Map.of(), Map.of(), Map.of(), Map.of());
}
