package org.manifoldlab.core.data;

import java.nio.DoubleBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A preallocated mini-batch: inputs x [rows, features] and labels. Filling copies samples into
 * the existing off-heap buffer; nothing is allocated per batch.
 */
public final class Batch {

    private final INDArray x;
    private final int[] labels;
    private final float[] row;

    public Batch(DataType type, int rows, int features) {
        this.x = Nd4j.create(type, new long[] {rows, features}, 'c');
        this.labels = new int[rows];
        this.row = new float[features];
    }

    /** Fills the batch with samples order[from .. from + rows) of the data set. */
    public Batch fill(Dataset data, int[] order, int from) {
        for (int r = 0; r < labels.length; r++) {
            put(r, data, order[from + r]);
        }
        return this;
    }

    /** Fills the batch with samples from .. from + rows in their stored order. */
    public Batch fillRange(Dataset data, int from) {
        for (int r = 0; r < labels.length; r++) {
            put(r, data, from + r);
        }
        return this;
    }

    private void put(int r, Dataset data, int sample) {
        int features = data.features();
        data.copyFeatures(sample, row, 0);
        if (x.dataType() == DataType.FLOAT) {
            x.data().asNioFloat().put(r * features, row);
        } else {
            DoubleBuffer out = x.data().asNioDouble();
            for (int f = 0; f < features; f++) {
                out.put(r * features + f, row[f]);
            }
        }
        labels[r] = data.label(sample);
    }

    public INDArray x() {
        return x;
    }

    /** The live label array of this batch; valid until the next fill. */
    public int[] labels() {
        return labels;
    }

    public int rows() {
        return labels.length;
    }
}
