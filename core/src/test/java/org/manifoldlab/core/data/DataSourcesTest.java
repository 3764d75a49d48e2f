package org.manifoldlab.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class DataSourcesTest {

    @Test
    void embeddedMnistHasTenThousandVerifiedDigits() throws IOException {
        Dataset d = DataSources.embeddedMnist10k();
        assertEquals(10_000, d.size());
        assertEquals(784, d.features());
        assertEquals(10, d.classes());
        int[] perClass = new int[10];
        for (int i = 0; i < d.size(); i++) {
            perClass[d.label(i)]++;
        }
        // per-class counts as written in data/mnist-10k/PROVENANCE by the conversion script
        assertArrayEquals(new int[] {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}, perClass);
    }

    @Test
    void splitIsSeededAndDisjoint() throws IOException {
        Dataset.Split a = DataSources.load("mnist-10k", 7, 0.2);
        Dataset.Split b = DataSources.load("mnist-10k", 7, 0.2);
        Dataset.Split c = DataSources.load("mnist-10k", 8, 0.2);
        assertEquals(8000, a.train().size());
        assertEquals(2000, a.test().size());
        for (int i = 0; i < 50; i++) {
            assertEquals(a.test().label(i), b.test().label(i));
            assertEquals(a.test().value(i, 400), b.test().value(i, 400));
        }
        int differ = 0;
        for (int i = 0; i < 50; i++) {
            differ += a.test().label(i) != c.test().label(i) ? 1 : 0;
        }
        assertTrue(differ > 20, "another seed gives another split");
    }

    @Test
    void epochOrderDependsOnSeedAndEpoch() throws IOException {
        Dataset d = DataSources.load("mnist-10k", 1, 0.2).test();
        assertArrayEquals(d.epochOrder(3, 1), d.epochOrder(3, 1));
        assertNotEquals(d.epochOrder(3, 1)[0] + "," + d.epochOrder(3, 1)[1], d.epochOrder(3, 2)[0] + "," + d.epochOrder(3, 2)[1]);
    }

    @Test
    void fashionMnistLoadsWithItsOwnSplitWhenInstalled() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(DataSources.FASHION_MNIST_DIR),
                "dataset-fashion-mnist is not installed (.ci/run installs it)");
        Dataset.Split split = DataSources.load("fashion-mnist", 1, 0.2);
        assertEquals(60_000, split.train().size());
        assertEquals(10_000, split.test().size());
        assertEquals(784, split.test().features());
    }

    @Test
    void unknownSourceAndMissingDirectoryAreNamed() {
        assertEquals("unknown data source 'mnist'; expected mnist-10k, fashion-mnist or idx:/path/to/dir",
                DataSources.problem("mnist"));
        assertEquals("data directory /nonexistent/x does not exist", DataSources.problem("idx:/nonexistent/x"));
    }
}
