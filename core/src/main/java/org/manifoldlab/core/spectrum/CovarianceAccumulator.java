package org.manifoldlab.core.spectrum;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.CblasUpper;
import static org.bytedeco.openblas.global.openblas.cblas_daxpy;
import static org.bytedeco.openblas.global.openblas.cblas_dsyr;
import static org.bytedeco.openblas.global.openblas.cblas_dsyrk;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The covariance of activations streamed batch by batch: count n, mean and the centred second
 * moment M2 = sum_i (x_i - mean)(x_i - mean)^T, all in double, in O(width^2) memory whatever the
 * number of samples. The covariance is the unbiased sample covariance M2 / (n - 1).
 *
 * <p>Each batch is cut into chunks of at most {@code chunkRows} rows. A chunk b is centred on its
 * own mean, its scatter added to M2 by BLAS dsyrk, and the running moments combined by Chan,
 * Golub and LeVeque's parallel update (1979):
 * <pre>
 *   delta = mean_b - mean_a,   n = n_a + n_b
 *   M2    = M2_a + M2_b + delta delta^T n_a n_b / n,   mean = mean_a + delta n_b / n
 * </pre>
 * The rank-one term rides in the same dsyrk as one extra row sqrt(n_a n_b / n) delta appended to
 * the centred chunk, so a chunk costs one pass of BLAS over it. {@link #merge} applies the same
 * formula to another accumulator, so several analyzers can split a probe set.
 *
 * <p>All buffers are allocated in the constructor (off-heap, about 8 (width^2 + chunkRows width)
 * bytes); accumulating allocates nothing that grows with the data, and {@link #reset} lets one
 * accumulator serve every analysis point. Not thread safe: one accumulator belongs to one thread
 * (or actor) at a time. BLAS runs on ND4J's OpenBLAS, with its thread setting.
 */
public final class CovarianceAccumulator implements AutoCloseable {

    /** Rows per BLAS call: large enough for dsyrk to run near its peak, small enough to stay in cache-sized buffers. */
    public static final int DEFAULT_CHUNK_ROWS = 512;

    private final int width;
    private final int chunkRows;
    private final DoublePointer m2;          // [width, width] row-major; M2 in the upper triangle, lower stays 0
    private final double[] mean;             // [width]
    private long count;

    private final DoublePointer chunk;       // centred chunk plus the Chan row: (chunkRows + 1) * width
    private final DoubleBuffer chunkValues;  // a view of chunk
    private final DoublePointer deltaVector; // [width], for merge's rank-one update
    private final double[] chunkMean;        // [width]
    private final double[] delta;            // [width]
    private final double[] line;             // one row or column segment, in double
    private final float[] floatLine;         // the same, as read from float input
    private DoublePointer eigenScratch;      // [width, width], made on the first spectrum()

    public CovarianceAccumulator(int width) {
        this(width, DEFAULT_CHUNK_ROWS);
    }

    /**
     * Frees the native buffers now rather than when this object is collected (a width of 1,000
     * holds 20 MB); the accumulator is not used after.
     */
    @Override
    public void close() {
        m2.close();
        chunk.close();
        deltaVector.close();
        if (eigenScratch != null) {
            eigenScratch.close();
            eigenScratch = null;
        }
    }

    public CovarianceAccumulator(int width, int chunkRows) {
        if (width < 1 || (long) width * width > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("width must be in 1.." + (int) Math.sqrt(Integer.MAX_VALUE) + ", got " + width);
        }
        if (chunkRows < 1 || (long) (chunkRows + 1) * width > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("chunkRows must be at least 1 and (chunkRows + 1) * width fit an int, got " + chunkRows);
        }
        this.width = width;
        this.chunkRows = chunkRows;
        this.m2 = new DoublePointer((long) width * width).zero();
        this.mean = new double[width];
        this.chunk = new DoublePointer((long) (chunkRows + 1) * width);
        this.chunkValues = chunk.asBuffer();
        this.deltaVector = new DoublePointer(width);
        this.chunkMean = new double[width];
        this.delta = new double[width];
        this.line = new double[Math.max(width, chunkRows)];
        this.floatLine = new float[Math.max(width, chunkRows)];
    }

    /**
     * Adds a batch x: [rows, width] of any order ('c', 'f' or a view) and any row count. FLOAT and
     * DOUBLE are read in place; other types are cast to DOUBLE first.
     */
    public CovarianceAccumulator accumulate(INDArray x) {
        if (x.rank() != 2 || x.columns() != width) {
            throw new IllegalArgumentException("batch must be [rows, " + width + "], got " + Arrays.toString(x.shape()));
        }
        if (x.dataType() != DataType.FLOAT && x.dataType() != DataType.DOUBLE) {
            x = x.castTo(DataType.DOUBLE);
        }
        Source source = x.dataType() == DataType.FLOAT ? new FloatSource(x.data().asNioFloat()) : new DoubleSource(x.data().asNioDouble());
        return accumulate(source, x.rows(), x.offset(), x.stride(0), x.stride(1));
    }

    /** Adds a batch of rows x width values stored row-major in data (as actor messages carry them). */
    public CovarianceAccumulator accumulate(float[] data, int rows, int width) {
        if (width != this.width || rows < 0 || (long) rows * width != data.length) {
            throw new IllegalArgumentException("batch of " + data.length + " values is not [" + rows + ", " + width
                    + "] with width " + this.width);
        }
        return accumulate(new FloatSource(FloatBuffer.wrap(data)), rows, 0, width, 1);
    }

    /** Adds rows from..to-1 of data, a row-major matrix of this width (a block of {@link ProbeRows}). */
    public CovarianceAccumulator accumulateRows(float[] data, int from, int to) {
        if (from < 0 || to < from || (long) to * width > data.length) {
            throw new IllegalArgumentException("rows " + from + ".." + to + " outside " + data.length / width + " rows of width " + width);
        }
        return accumulate(new FloatSource(FloatBuffer.wrap(data)), to - from, (long) from * width, width, 1);
    }

    private CovarianceAccumulator accumulate(Source source, int rows, long offset, long rowStride, long columnStride) {
        for (int from = 0; from < rows; from += chunkRows) {
            int n = Math.min(chunkRows, rows - from);
            long start = offset + from * rowStride;
            // A column-contiguous batch ('f' order) is read column by column, else row by row.
            if (rowStride == 1 && columnStride != 1) {
                accumulateColumnMajorChunk(source, n, start, columnStride);
            } else {
                accumulateRowMajorChunk(source, n, start, rowStride, columnStride);
            }
        }
        return this;
    }

    /** chunk becomes [k, width] row-major: the centred rows, then the Chan row. */
    private void accumulateRowMajorChunk(Source source, int rows, long start, long rowStride, long columnStride) {
        Arrays.fill(chunkMean, 0.0);
        for (int r = 0; r < rows; r++) {
            source.read(start + r * rowStride, columnStride, width, line, floatLine);
            for (int c = 0; c < width; c++) {
                chunkMean[c] += line[c];
            }
        }
        for (int c = 0; c < width; c++) {
            chunkMean[c] /= rows;
        }
        for (int r = 0; r < rows; r++) {
            source.read(start + r * rowStride, columnStride, width, line, floatLine);
            for (int c = 0; c < width; c++) {
                line[c] -= chunkMean[c];
            }
            chunkValues.put(r * width, line, 0, width);
        }
        int k = rows + chanRow(rows, rows * width, 1);
        // M2 += C^T C over the k rows of C  (C: [k, width] row-major)
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, width, k, 1.0, chunk, width, 1.0, m2, width);
        updateMean(rows);
    }

    /** chunk becomes [width, k] row-major (column c of the batch is row c): the centred columns, then the Chan column. */
    private void accumulateColumnMajorChunk(Source source, int rows, long start, long columnStride) {
        int k = rows + (count > 0 ? 1 : 0);
        for (int c = 0; c < width; c++) {
            source.read(start + c * columnStride, 1, rows, line, floatLine);
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                sum += line[r];
            }
            double m = sum / rows;
            chunkMean[c] = m;
            for (int r = 0; r < rows; r++) {
                line[r] -= m;
            }
            chunkValues.put(c * k, line, 0, rows);
        }
        chanRow(rows, rows, k);
        // M2 += C C^T over the k columns of C  (C: [width, k] row-major)
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, width, k, 1.0, chunk, k, 1.0, m2, width);
        updateMean(rows);
    }

    /**
     * Writes sqrt(n_a n_b / n) delta into chunk at first + c * step (c = 0..width-1), so that the
     * dsyrk over the chunk also adds Chan's term delta delta^T n_a n_b / n. Returns 1 if written, 0
     * when nothing came before (n_a = 0).
     */
    private int chanRow(int rows, int first, int step) {
        if (count == 0) {
            return 0;
        }
        double na = count;
        double scale = Math.sqrt(na * rows / (na + rows));
        for (int c = 0; c < width; c++) {
            delta[c] = chunkMean[c] - mean[c];
            chunkValues.put(first + c * step, scale * delta[c]);
        }
        return 1;
    }

    /** mean = mean_a + delta n_b / n; chunkMean holds mean_b. */
    private void updateMean(int rows) {
        long n = count + rows;
        for (int c = 0; c < width; c++) {
            mean[c] += (chunkMean[c] - mean[c]) * rows / n;
        }
        count = n;
    }

    /** Adds everything other has accumulated (Chan's combine); other is unchanged. */
    public CovarianceAccumulator merge(CovarianceAccumulator other) {
        if (other.width != width) {
            throw new IllegalArgumentException("cannot merge width " + other.width + " into width " + width);
        }
        if (other.count == 0) {
            return this;
        }
        if (count == 0) {
            Pointer.memcpy(m2, other.m2, (long) width * width * Double.BYTES);
            System.arraycopy(other.mean, 0, mean, 0, width);
            count = other.count;
            return this;
        }
        double na = count;
        double nb = other.count;
        double n = na + nb;
        for (int c = 0; c < width; c++) {
            delta[c] = other.mean[c] - mean[c];
        }
        deltaVector.put(delta);
        cblas_daxpy(width * width, 1.0, other.m2, 1, m2, 1);
        // M2 += delta delta^T na nb / n  (upper triangle)
        cblas_dsyr(CblasRowMajor, CblasUpper, width, na * nb / n, deltaVector, 1, m2, width);
        for (int c = 0; c < width; c++) {
            mean[c] += delta[c] * nb / n;
        }
        count += other.count;
        return this;
    }

    /**
     * Becomes the accumulator of the samples of total that are not in part (part's samples must
     * be among total's): the inverse of {@link #merge}. With a = the rest, b = part, n = n_a + n_b:
     * <pre>
     *   mean_a = (n mean - n_b mean_b) / n_a,   delta = mean_b - mean_a
     *   M2_a   = M2 - M2_b - delta delta^T n_a n_b / n
     * </pre>
     * A delete-a-group jackknife gets each leave-one-block-out covariance this way, at the cost of
     * one block's scatter instead of all the others'.
     */
    public CovarianceAccumulator setToDifference(CovarianceAccumulator total, CovarianceAccumulator part) {
        if (total.width != width || part.width != width) {
            throw new IllegalArgumentException("widths differ: " + total.width + ", " + part.width + ", this " + width);
        }
        if (part.count >= total.count) {
            throw new IllegalArgumentException("the part (" + part.count + " samples) must be fewer than the total (" + total.count + ")");
        }
        double n = total.count;
        double nb = part.count;
        double na = n - nb;
        for (int c = 0; c < width; c++) {
            mean[c] = (n * total.mean[c] - nb * part.mean[c]) / na;
            delta[c] = part.mean[c] - mean[c];
        }
        Pointer.memcpy(m2, total.m2, (long) width * width * Double.BYTES);
        if (part.count > 0) {
            cblas_daxpy(width * width, -1.0, part.m2, 1, m2, 1);
            deltaVector.put(delta);
            // M2 -= delta delta^T na nb / n  (upper triangle)
            cblas_dsyr(CblasRowMajor, CblasUpper, width, -na * nb / n, deltaVector, 1, m2, width);
        }
        count = total.count - part.count;
        return this;
    }

    /**
     * Units silent on every sample: columns whose centred second moment is exactly zero (a ReLU
     * unit that never fires, or any constant unit). Their eigenvalues are exact zeros.
     */
    public int deadUnits() {
        int dead = 0;
        DoubleBuffer values = m2.asBuffer();
        for (int c = 0; c < width; c++) {
            if (values.get(c * width + c) == 0.0) {
                dead++;
            }
        }
        return dead;
    }

    /** Forgets all samples, keeping the buffers: one accumulator can serve every analysis point. */
    public void reset() {
        m2.zero();
        Arrays.fill(mean, 0.0);
        count = 0;
    }

    public int width() {
        return width;
    }

    /** The number of samples accumulated. */
    public long count() {
        return count;
    }

    /** A copy of the mean [width]. */
    public double[] mean() {
        return mean.clone();
    }

    /** The sample covariance M2 / (n - 1) as a new DOUBLE [width, width] 'c' array. Needs n >= 2. */
    public INDArray covariance() {
        requireTwoSamples();
        double[] c = new double[width * width];
        m2.get(c);
        double scale = 1.0 / (count - 1);
        for (int i = 0; i < width; i++) {
            for (int j = i; j < width; j++) {
                double v = c[i * width + j] * scale;
                c[i * width + j] = v;
                c[j * width + i] = v;
            }
        }
        return Nd4j.create(c, new long[] {width, width}, 'c');
    }

    /** The eigenvalues of the covariance M2 / (n - 1), descending (dsyevd, eigenvalues only). Needs n >= 2. */
    public Spectrum spectrum() {
        requireTwoSamples();
        if (eigenScratch == null) {
            eigenScratch = new DoublePointer((long) width * width);
        }
        Pointer.memcpy(eigenScratch, m2, (long) width * width * Double.BYTES);
        double[] lambda = Eigenvalues.descendingInPlace(eigenScratch, width);
        double scale = 1.0 / (count - 1);
        for (int i = 0; i < width; i++) {
            lambda[i] *= scale;
        }
        return new Spectrum(lambda, count);
    }

    private void requireTwoSamples() {
        if (count < 2) {
            throw new IllegalStateException("a covariance needs at least 2 samples, got " + count);
        }
    }

    /** Strided reads of one row or column segment, converted to double. */
    private interface Source {
        /** out[i] = element at start + i * step, i = 0..n-1. */
        void read(long start, long step, int n, double[] out, float[] scratch);
    }

    private record FloatSource(FloatBuffer values) implements Source {
        @Override
        public void read(long start, long step, int n, double[] out, float[] scratch) {
            if (step == 1) {
                values.get((int) start, scratch, 0, n);
                for (int i = 0; i < n; i++) {
                    out[i] = scratch[i];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[i] = values.get((int) (start + i * step));
                }
            }
        }
    }

    private record DoubleSource(DoubleBuffer values) implements Source {
        @Override
        public void read(long start, long step, int n, double[] out, float[] scratch) {
            if (step == 1) {
                values.get((int) start, out, 0, n);
            } else {
                for (int i = 0; i < n; i++) {
                    out[i] = values.get((int) (start + i * step));
                }
            }
        }
    }
}
