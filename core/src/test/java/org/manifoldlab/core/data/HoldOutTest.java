package org.manifoldlab.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The validation set held out of a training set: disjoint, complete, seeded, and apart from the test split's stream. */
class HoldOutTest {

    /** 100 samples of one feature whose value is the sample's index, so every sample can be traced. */
    private static Dataset numbered(int n) {
        float[] x = new float[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            labels[i] = i % 10;
        }
        return new Dataset("numbered", 1, 10, x, labels);
    }

    private static Set<Integer> ids(Dataset d) {
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < d.size(); i++) {
            ids.add((int) d.value(i, 0));
            assertEquals(((int) d.value(i, 0)) % 10, d.label(i), "a sample keeps its label");
        }
        return ids;
    }

    @Test
    void heldOutAndKeptPartitionTheSetInTheRoundedProportion() {
        Dataset.Split s = numbered(100).holdOut(7, 0.25);
        assertEquals(75, s.train().size());
        assertEquals(25, s.test().size());
        Set<Integer> kept = ids(s.train());
        Set<Integer> held = ids(s.test());
        assertEquals(75, kept.size());
        kept.retainAll(held);
        assertEquals(Set.of(), kept, "no sample is both trained on and held out");
        Set<Integer> all = ids(s.train());
        all.addAll(held);
        assertEquals(100, all.size(), "every sample is in one of the two");
        for (int i = 1; i < s.test().size(); i++) {
            assertEquals(true, s.test().value(i - 1, 0) < s.test().value(i, 0), "original order kept");
        }
    }

    @Test
    void theSameSeedHoldsOutTheSameSamplesAndTheTestSplitsStreamIsNotReused() {
        Dataset d = numbered(100);
        assertEquals(ids(d.holdOut(7, 0.25).test()), ids(d.holdOut(7, 0.25).test()));
        assertNotEquals(ids(d.holdOut(7, 0.25).test()), ids(d.holdOut(8, 0.25).test()));
        // split() and holdOut() shuffle with different streams of the same seed
        assertNotEquals(ids(d.split(7, 0.25).test()), ids(d.holdOut(7, 0.25).test()));
    }

    @Test
    void aFractionThatLeavesNothingOnEitherSideIsRefused() {
        Dataset d = numbered(10);
        assertThrows(IllegalArgumentException.class, () -> d.holdOut(1, 0.01));
        assertThrows(IllegalArgumentException.class, () -> d.holdOut(1, 0.0));
        assertThrows(IllegalArgumentException.class, () -> d.holdOut(1, 1.0));
        assertArrayEquals(new int[] {9, 1}, new int[] {d.holdOut(1, 0.1).train().size(), d.holdOut(1, 0.1).test().size()});
    }
}
