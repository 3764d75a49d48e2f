package org.manifoldlab.core.spectrum;

import java.util.Arrays;

/**
 * The activations of one layer over the probe set, kept row by row (float, row-major
 * [rows, width]) for what a covariance alone cannot give: leave-one-block-out spectra and
 * nearest-neighbour distances. Memory 4 rows width bytes (8 MB for 2,000 probes of 1,000 units);
 * the buffer doubles when full, so appending costs amortised O(1) allocations.
 */
public final class ProbeRows {

    private final int width;
    private float[] data;   // [capacity, width] row-major
    private int rows;

    public ProbeRows(int width, int expectedRows) {
        if (width < 1 || expectedRows < 0) {
            throw new IllegalArgumentException("width must be >= 1 and expectedRows >= 0, got " + width + ", " + expectedRows);
        }
        this.width = width;
        this.data = new float[Math.max(1, expectedRows) * width];
    }

    /** Rows of a whole row-major matrix, kept without a copy. */
    public static ProbeRows wrap(float[] rowMajor, int rows, int width) {
        if ((long) rows * width != rowMajor.length) {
            throw new IllegalArgumentException(rowMajor.length + " values are not [" + rows + ", " + width + "]");
        }
        ProbeRows p = new ProbeRows(width, 0);
        p.data = rowMajor;
        p.rows = rows;
        return p;
    }

    /** Appends a batch values: [n, width], row-major when order is 'c', column-major when 'f'. */
    public void append(float[] values, int n, int cols, char order) {
        if (cols != width || (long) n * cols != values.length) {
            throw new IllegalArgumentException("batch of " + values.length + " values is not [" + n + ", " + width + "]");
        }
        ensure(rows + n);
        int base = rows * width;
        if (order == 'c') {
            System.arraycopy(values, 0, data, base, n * width);
        } else {
            for (int c = 0; c < width; c++) {
                for (int r = 0; r < n; r++) {
                    data[base + r * width + c] = values[c * n + r];  // x[r, c] = values[c n + r]
                }
            }
        }
        rows += n;
    }

    private void ensure(int needed) {
        if ((long) needed * width > data.length) {
            data = Arrays.copyOf(data, Math.max(needed, 2 * data.length / width) * width);
        }
    }

    public int rows() {
        return rows;
    }

    public int width() {
        return width;
    }

    /** The backing array: row r, column c at r * width + c, for r < rows(). Not a copy. */
    public float[] data() {
        return data;
    }

    /** Block b of g contiguous blocks: rows [from(b), from(b + 1)), from(b) = floor(b rows / g). */
    public int blockStart(int b, int g) {
        return (int) ((long) b * rows / g);
    }
}
