package org.manifoldlab.core.nn;

/** Mean loss and accuracy of one layer's readout over some samples. Layers count from 1. */
public record LayerMetrics(int layer, double loss, double accuracy, long samples) {
}
