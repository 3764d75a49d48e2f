package org.manifoldlab.core.nn;

import java.util.List;

/** Per-layer metrics of one pass over a split ("train" while learning, "test" frozen). */
public record EpochMetrics(int epoch, String split, List<LayerMetrics> layers) {

    public LayerMetrics layer(int layer) {
        return layers.stream().filter(m -> m.layer() == layer).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no metrics for layer " + layer));
    }
}
