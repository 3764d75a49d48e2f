package org.manifoldlab.core.attack;

import java.util.ArrayList;
import java.util.List;
import org.manifoldlab.core.data.Batch;
import org.manifoldlab.core.data.Dataset;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Clean probe samples first .. first + rows of the probe set, the unit attackers and evaluators
 * exchange. x: [rows, features] in 'c' order. Treated as immutable: attacks write elsewhere,
 * and nobody may change x or labels while a batch is in use.
 */
public record ProbeBatch(int index, int first, INDArray x, int[] labels) {

    public ProbeBatch {
        if (x.rows() != labels.length) {
            throw new IllegalArgumentException(x.rows() + " rows for " + labels.length + " labels");
        }
    }

    /** The probe set cut into batches of batchSize rows (the last may be smaller), in the network's data type. */
    public static List<ProbeBatch> split(Dataset probes, int batchSize, DataType type) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, was " + batchSize);
        }
        List<ProbeBatch> batches = new ArrayList<>();
        for (int first = 0; first < probes.size(); first += batchSize) {
            int rows = Math.min(batchSize, probes.size() - first);
            Batch batch = new Batch(type, rows, probes.features()).fillRange(probes, first);
            batches.add(new ProbeBatch(batches.size(), first, batch.x(), batch.labels()));
        }
        return batches;
    }

    public int rows() {
        return labels.length;
    }
}
