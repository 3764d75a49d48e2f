package org.manifoldlab.core.spectrum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.manifoldlab.core.seed.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Streaming, chunking, merging and every input layout against the two-pass covariance of the whole matrix. */
class CovarianceAccumulatorTest {

    private static final int ROWS = 2500;
    private static final int WIDTH = 37;
    private static final double TOLERANCE = 1e-10;

    /** Correlated columns around means near 1e4: a one-pass sum-of-squares formula loses ~1e-8 relative here. */
    private static float[] x;
    private static double[] reference;
    private static double[] referenceMean;

    @BeforeAll
    static void data() {
        SplittableRandom random = Seeds.stream(7, "test-covariance", 0);
        x = new float[ROWS * WIDTH];
        double[] z = new double[WIDTH];
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < WIDTH; c++) {
                z[c] = random.nextGaussian();
            }
            for (int c = 0; c < WIDTH; c++) {
                x[r * WIDTH + c] = (float) (1e4 + 10 * c + (c + 1) * 0.1 * z[c] + 0.5 * z[(c + 1) % WIDTH]);
            }
        }
        reference = TestMatrices.twoPassCovariance(x, ROWS, WIDTH);
        referenceMean = new double[WIDTH];
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < WIDTH; c++) {
                referenceMean[c] += x[r * WIDTH + c] / (double) ROWS;
            }
        }
    }

    @Test
    void streamingInBatchesOf7And64And1000EqualsTheCovarianceOfTheWholeMatrix() {
        for (int batch : new int[] {7, 64, 1000}) {
            CovarianceAccumulator acc = new CovarianceAccumulator(WIDTH);
            for (int from = 0; from < ROWS; from += batch) {
                int rows = Math.min(batch, ROWS - from);  // the last batch is partial: 2500 = 357 * 7 + 1
                acc.accumulate(Nd4j.create(Arrays.copyOfRange(x, from * WIDTH, (from + rows) * WIDTH), new long[] {rows, WIDTH}, 'c'));
            }
            assertMatchesReference(acc, "batches of " + batch);
        }
    }

    @Test
    void mergingTwoHalvesEqualsTheWholeMatrix() {
        int split = 1100;  // unequal halves, so the Chan term has unequal weights
        CovarianceAccumulator first = new CovarianceAccumulator(WIDTH);
        CovarianceAccumulator second = new CovarianceAccumulator(WIDTH);
        first.accumulate(Arrays.copyOfRange(x, 0, split * WIDTH), split, WIDTH);
        second.accumulate(Arrays.copyOfRange(x, split * WIDTH, ROWS * WIDTH), ROWS - split, WIDTH);
        assertMatchesReference(new CovarianceAccumulator(WIDTH).merge(first).merge(second), "empty + first + second");
        assertEquals(split, first.count(), "merge leaves its argument unchanged");
        assertMatchesReference(first.merge(second).merge(new CovarianceAccumulator(WIDTH)), "first + second + empty");
    }

    @Test
    void everyInputLayoutAndChunkSizeGivesTheSameCovariance() {
        INDArray c = Nd4j.create(x, new long[] {ROWS, WIDTH}, 'c');
        INDArray f = c.dup('f');
        // The data sit inside bigger arrays: views with an offset and a row or column stride.
        INDArray cBig = Nd4j.create(DataType.FLOAT, new long[] {ROWS + 5, WIDTH + 3}, 'c');
        INDArray fBig = Nd4j.create(DataType.FLOAT, new long[] {ROWS + 5, WIDTH + 3}, 'f');
        cBig.get(NDArrayIndex.interval(2, 2 + ROWS), NDArrayIndex.interval(1, 1 + WIDTH)).assign(c);
        fBig.get(NDArrayIndex.interval(2, 2 + ROWS), NDArrayIndex.interval(1, 1 + WIDTH)).assign(c);
        // Every other column: neither stride is 1, so elements are gathered one by one.
        INDArray strided = Nd4j.create(DataType.FLOAT, new long[] {ROWS, 2 * WIDTH}, 'c')
                .get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2, 2 * WIDTH)).assign(c);
        INDArray[] sources = {c, f, cBig, fBig, strided, c.castTo(DataType.DOUBLE), f.castTo(DataType.DOUBLE)};
        String[] names = {"'c'", "'f'", "'c' view", "'f' view", "column-strided view", "DOUBLE 'c'", "DOUBLE 'f'"};
        for (int chunkRows : new int[] {1, 50, CovarianceAccumulator.DEFAULT_CHUNK_ROWS}) {
            for (int i = 0; i < sources.length; i++) {
                CovarianceAccumulator whole = new CovarianceAccumulator(WIDTH, chunkRows);
                CovarianceAccumulator batched = new CovarianceAccumulator(WIDTH, chunkRows);
                // Views are cut straight from their base: ND4J M2.1 mangles some views of views.
                boolean big = sources[i] == cBig || sources[i] == fBig;
                whole.accumulate(big ? rows(sources[i], 2, 2 + ROWS, 1) : sources[i]);
                if (sources[i] != strided) {
                    for (int from = 0; from < ROWS; from += 300) {
                        int to = Math.min(ROWS, from + 300);
                        batched.accumulate(big ? rows(sources[i], 2 + from, 2 + to, 1) : rows(sources[i], from, to, 0));
                    }
                    assertMatchesReference(batched, names[i] + " in batches of 300, chunks of " + chunkRows);
                }
                assertMatchesReference(whole, names[i] + " in chunks of " + chunkRows);
            }
        }
        // Other types are cast to DOUBLE: FLOAT16's covariance is that of its rounded values.
        INDArray half = c.castTo(DataType.FLOAT16);
        float[] rounded = half.castTo(DataType.FLOAT).data().asFloat();
        CovarianceAccumulator acc = new CovarianceAccumulator(WIDTH).accumulate(half);
        assertClose(TestMatrices.twoPassCovariance(rounded, ROWS, WIDTH), acc.covariance(), "FLOAT16");
    }

    /** Rows from..to of a, columns firstColumn..firstColumn + WIDTH. */
    private static INDArray rows(INDArray a, int from, int to, int firstColumn) {
        return a.get(NDArrayIndex.interval(from, to), NDArrayIndex.interval(firstColumn, firstColumn + WIDTH));
    }

    @Test
    void spectrumIsTheEigenvaluesOfTheCovarianceScaledByNMinusOne() {
        CovarianceAccumulator acc = new CovarianceAccumulator(WIDTH).accumulate(x, ROWS, WIDTH);
        double[] expected = Eigenvalues.descending(reference, WIDTH);
        Spectrum spectrum = acc.spectrum();
        assertEquals(ROWS, spectrum.samples());
        for (int n = 1; n <= WIDTH; n++) {
            assertEquals(expected[n - 1], spectrum.eigenvalue(n), 1e-10 * expected[0], "lambda_" + n);
        }
        assertEquals(acc.covariance().getDouble(3, 3), reference[3 * WIDTH + 3], 1e-10 * reference[3 * WIDTH + 3],
                "covariance divides by n - 1");
    }

    @Test
    void resetForgetsEverySample() {
        CovarianceAccumulator acc = new CovarianceAccumulator(WIDTH);
        acc.accumulate(Nd4j.rand(DataType.FLOAT, 100, WIDTH).muli(50));
        acc.reset();
        assertEquals(0, acc.count());
        assertMatchesReference(acc.accumulate(x, ROWS, WIDTH), "after reset");
    }

    @Test
    void wrongShapesAndTooFewSamplesAreClearErrors() {
        CovarianceAccumulator acc = new CovarianceAccumulator(WIDTH);
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> acc.accumulate(Nd4j.create(DataType.FLOAT, 4, WIDTH + 1)));
        assertTrue(shape.getMessage().contains("[rows, 37], got [4, 38]"), shape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> acc.accumulate(new float[10], 3, WIDTH));
        assertThrows(IllegalArgumentException.class, () -> acc.merge(new CovarianceAccumulator(WIDTH + 1)));
        acc.accumulate(Arrays.copyOf(x, WIDTH), 1, WIDTH);
        IllegalStateException one = assertThrows(IllegalStateException.class, acc::spectrum);
        assertTrue(one.getMessage().contains("at least 2 samples, got 1"), one.getMessage());
    }

    @Test
    void nonFiniteActivationsAreReportedNotAnalysed() {
        float[] bad = Arrays.copyOf(x, 10 * WIDTH);
        bad[5 * WIDTH + 3] = Float.NaN;
        CovarianceAccumulator acc = new CovarianceAccumulator(WIDTH).accumulate(bad, 10, WIDTH);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, acc::spectrum);
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    private static void assertMatchesReference(CovarianceAccumulator acc, String what) {
        assertEquals(ROWS, acc.count(), what + ": count");
        assertArrayEquals(referenceMean, acc.mean(), 1e-12 * 1e4, what + ": mean");
        assertClose(reference, acc.covariance(), what);
    }

    /** max |C - reference| / max |reference| below 1e-10. */
    private static void assertClose(double[] expected, INDArray actual, String what) {
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < WIDTH; i++) {
            for (int j = 0; j < WIDTH; j++) {
                double e = expected[i * WIDTH + j];
                scale = Math.max(scale, Math.abs(e));
                worst = Math.max(worst, Math.abs(actual.getDouble(i, j) - e));
            }
        }
        assertTrue(worst / scale < TOLERANCE, what + ": relative error " + worst / scale);
    }
}
