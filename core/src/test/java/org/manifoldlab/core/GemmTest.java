package org.manifoldlab.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The direct OpenBLAS gemm: a hand-computed case, then bit for bit against Nd4j.gemm over layouts. */
class GemmTest {

    @BeforeAll
    static void singleThreaded() {
        Kernels.singleThreaded();
    }

    @Test
    void aSmallProductComputedByHand() {
        // [1 2 3; 4 5 6] [1 0; 0 1; 1 1] = [4 5; 10 11], then 2 * that + 1 * C with C = 1
        INDArray a = Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3}, 'c');
        INDArray b = Nd4j.create(new float[] {1, 0, 0, 1, 1, 1}, new long[] {3, 2}, 'c');
        for (char order : new char[] {'c', 'f'}) {
            INDArray c = Nd4j.ones(DataType.FLOAT, 2, 2).dup(order);
            Gemm.gemm(a, b, c, false, false, 2.0, 1.0);
            assertArrayEquals(new float[] {9, 11, 21, 23}, c.dup('c').data().asFloat(), "C in '" + order + "'");
        }
        // a^T a: [17 22 27; 22 29 36; 27 36 45], with a given as its 'f' copy
        INDArray c = Nd4j.create(DataType.FLOAT, new long[] {3, 3}, 'c');
        Gemm.gemm(a.dup('f'), a, c, true, false, 1.0, 0.0);
        assertArrayEquals(new float[] {17, 22, 27, 22, 29, 36, 27, 36, 45}, c.data().asFloat());
    }

    /** Every order of a, b and c, every transpose, float and double, beta 0 and not: the same bits as Nd4j.gemm. */
    @Test
    void theSameBitsAsNd4jGemmOverOrdersTransposesAndTypes() {
        int m = 67;
        int k = 530;
        int n = 45;
        int cases = 0;
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    for (char oa : new char[] {'c', 'f'}) {
                        for (char ob : new char[] {'c', 'f'}) {
                            for (char oc : new char[] {'c', 'f'}) {
                                INDArray a = random(type, ta ? k : m, ta ? m : k, oa, 1 + cases);
                                INDArray b = random(type, tb ? n : k, tb ? k : n, ob, 2 + cases);
                                INDArray c0 = random(type, m, n, oc, 3 + cases);
                                double beta = (cases / 2) % 2 == 0 ? 0.0 : 0.5;  // both, for either order of c
                                assertSameAsNd4j(a, b, c0, ta, tb, 1.25, beta, type + " " + ta + tb + oa + ob + oc);
                                cases++;
                            }
                        }
                    }
                }
            }
        }
        assertEquals(64, cases);
    }

    /** Row blocks of 'c' arrays and column blocks of 'f' arrays are read in place, at their offsets. */
    @Test
    void viewsWithAUnitStrideAreReadAndWrittenInPlace() {
        INDArray big = random(DataType.FLOAT, 90, 70, 'c', 7);
        INDArray rows = big.get(NDArrayIndex.interval(10, 50), NDArrayIndex.all());              // 40 x 70, 'c', offset
        INDArray bigF = random(DataType.FLOAT, 70, 90, 'f', 8);
        INDArray columns = bigF.get(NDArrayIndex.all(), NDArrayIndex.interval(20, 55));         // 70 x 35, 'f', offset
        INDArray outBig = Nd4j.create(DataType.FLOAT, new long[] {60, 35}, 'c');
        INDArray out = outBig.get(NDArrayIndex.interval(5, 45), NDArrayIndex.all());            // 40 x 35, 'c', offset
        assertViewProduct(rows, columns, out, false, false, "row block times column block");
        // the rows of outBig outside the view are untouched
        assertEquals(0.0, outBig.get(NDArrayIndex.interval(0, 5), NDArrayIndex.all()).sumNumber().doubleValue());
        assertEquals(0.0, outBig.get(NDArrayIndex.interval(45, 60), NDArrayIndex.all()).sumNumber().doubleValue());
    }

    /** Views whose leading dimension exceeds their extent: 'c' column blocks and 'f' row blocks, as a, b and c. */
    @Test
    void viewsWithALeadingDimensionLargerThanTheirExtent() {
        INDArray big = random(DataType.FLOAT, 90, 70, 'c', 7);
        INDArray narrow = big.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 30));            // 90 x 30, 'c', row stride 70
        INDArray bigF = random(DataType.FLOAT, 70, 90, 'f', 8);
        INDArray short_ = bigF.get(NDArrayIndex.interval(10, 40), NDArrayIndex.all());          // 30 x 90, 'f', column stride 70
        // c as a 'c' column block, which Nd4j.gemm refuses (a view as its result): only the direct path writes it
        INDArray cBig = Nd4j.create(DataType.FLOAT, new long[] {90, 120}, 'c');
        INDArray cView = cBig.get(NDArrayIndex.all(), NDArrayIndex.interval(10, 100));          // 90 x 90, row stride 120
        assertViewProduct(narrow, short_, cView, false, false, "'c' column block times 'f' row block into a 'c' column block");
        assertEquals(0.0, cBig.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 10)).sumNumber().doubleValue());
        assertEquals(0.0, cBig.get(NDArrayIndex.all(), NDArrayIndex.interval(100, 120)).sumNumber().doubleValue());
        // c as an 'f' row block, with a and b transposed
        INDArray fBig = Nd4j.create(DataType.FLOAT, new long[] {50, 30}, 'f');
        INDArray fView = fBig.get(NDArrayIndex.interval(10, 40), NDArrayIndex.all());            // 30 x 30, column stride 50
        assertViewProduct(narrow, short_, fView, true, true, "transposes into an 'f' row block");
        assertEquals(0.0, fBig.get(NDArrayIndex.interval(0, 10), NDArrayIndex.all()).sumNumber().doubleValue());
        assertEquals(0.0, fBig.get(NDArrayIndex.interval(40, 50), NDArrayIndex.all()).sumNumber().doubleValue());
    }

    /** Neither dimension with a unit stride: no layout, so Nd4j.gemm takes it (and gives its answer). */
    @Test
    void anArrayWithNoUnitStrideGoesToNd4j() {
        INDArray big = random(DataType.FLOAT, 40, 60, 'c', 11);
        INDArray strided = big.get(NDArrayIndex.interval(0, 2, 40), NDArrayIndex.interval(0, 2, 60));  // 20 x 30, strides 120, 2
        assertNull(Gemm.Layout.of(strided));
        INDArray b = random(DataType.FLOAT, 30, 10, 'f', 12);
        INDArray c = Nd4j.create(DataType.FLOAT, new long[] {20, 10}, 'f');
        Gemm.gemm(strided, b, c, false, false, 1.0, 0.0);
        INDArray expected = Nd4j.create(DataType.FLOAT, new long[] {20, 10}, 'f');
        Nd4j.gemm(strided.dup('c'), b, expected, false, false, 1.0, 0.0);
        assertBits(expected, c, "strided a");
    }

    /** Vectors as [1, n] and [n, 1] matrices, in either order. */
    @Test
    void rowAndColumnVectors() {
        INDArray row = random(DataType.DOUBLE, 1, 40, 'c', 9);
        INDArray matrix = random(DataType.DOUBLE, 40, 25, 'f', 10);
        for (char order : new char[] {'c', 'f'}) {
            assertSameAsNd4j(row.dup(order), matrix, Nd4j.create(DataType.DOUBLE, new long[] {1, 25}, order),
                    false, false, 1.0, 0.0, "row " + order);
            assertSameAsNd4j(matrix, row.dup(order), Nd4j.create(DataType.DOUBLE, new long[] {25, 1}, order),
                    true, true, 1.0, 0.0, "column " + order);
        }
    }

    /**
     * Kernels' thread count reaches the OpenBLAS this class calls: with two threads OpenBLAS splits
     * a gemm's work differently and the bits change, and with either count this class gives
     * Nd4j.gemm's bits. (The JVM maps two copies of OpenBLAS, ND4J's and the full one with
     * LAPACK; a thread count set in one and not the other would fail here.)
     */
    @Test
    void kernelsThreadCountReachesThisCall() {
        INDArray a = random(DataType.FLOAT, 256, 784, 'f', 13);
        INDArray b = random(DataType.FLOAT, 784, 1000, 'c', 14);
        INDArray[] one = new INDArray[2];
        INDArray[] two = new INDArray[2];
        try {
            for (int threads : new int[] {1, 2}) {
                Kernels.threads(threads);
                INDArray[] out = threads == 1 ? one : two;
                out[0] = Nd4j.create(DataType.FLOAT, new long[] {256, 1000}, 'c');
                Nd4j.gemm(a, b, out[0], false, false, 1.0, 0.0);
                out[1] = Nd4j.create(DataType.FLOAT, new long[] {256, 1000}, 'c');
                Gemm.gemm(a, b, out[1], false, false, 1.0, 0.0);
            }
        } finally {
            Kernels.singleThreaded();
        }
        assertBits(one[0], one[1], "1 thread");
        assertBits(two[0], two[1], "2 threads");
        assertFalse(Arrays.equals(one[0].data().asFloat(), two[0].data().asFloat()),
                "1 and 2 threads gave the same bits: this shape cannot tell them apart");
    }

    @Test
    void shapesThatDoNotMultiplyAreRefused() {
        INDArray a = Nd4j.create(DataType.FLOAT, 4, 5);
        INDArray b = Nd4j.create(DataType.FLOAT, 6, 3);
        INDArray c = Nd4j.create(DataType.FLOAT, new long[] {4, 3}, 'f');
        assertThrows(RuntimeException.class, () -> Gemm.gemm(a, b, c, false, false, 1.0, 0.0));
    }

    /**
     * out, a view, takes the direct path, and Gemm writes into it the bits Nd4j.gemm gives for the
     * same product of dense copies into a fresh array of out's shape and order.
     */
    private static void assertViewProduct(INDArray a, INDArray b, INDArray out, boolean transA, boolean transB, String what) {
        assertDirect(a, b, out);
        INDArray expected = Nd4j.create(out.dataType(), out.shape(), out.ordering());
        Nd4j.gemm(a.dup('c'), b.dup('f'), expected, transA, transB, 1.0, 0.0);
        Gemm.gemm(a, b, out, transA, transB, 1.0, 0.0);
        assertBits(expected, out, what);
    }

    private static void assertDirect(INDArray... arrays) {
        for (INDArray x : arrays) {
            assertNotNull(Gemm.Layout.of(x), "a layout for " + x.shapeInfoToString());
        }
    }

    private static void assertBits(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.dup('c').data().asDouble(), actual.dup('c').data().asDouble(), 0.0, what);
    }

    private static void assertSameAsNd4j(INDArray a, INDArray b, INDArray c0, boolean ta, boolean tb,
                                         double alpha, double beta, String what) {
        INDArray expected = c0.dup(c0.ordering());
        Nd4j.gemm(a, b, expected, ta, tb, alpha, beta);
        INDArray actual = c0.dup(c0.ordering());
        Gemm.gemm(a, b, actual, ta, tb, alpha, beta);
        assertBits(expected, actual, what);
    }

    private static INDArray random(DataType type, int rows, int cols, char order, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(type, rows, cols).subi(0.5).dup(order);
    }
}
