package org.manifoldlab.core.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class HolmTest {

    @Test
    void stepDownByHand() {
        // sorted: 0.01 (x4 = 0.04), 0.015 (x3 = 0.045), 0.03 (x2 = 0.06), 0.2 (x1 = 0.2)
        double[] p = {0.03, 0.01, 0.2, 0.015};
        assertArrayEquals(new double[] {0.06, 0.04, 0.2, 0.045}, Holm.adjusted(p), 1e-12);
        assertArrayEquals(new boolean[] {false, true, false, true}, Holm.reject(p, 0.05));
        // the step-down stops at the first failure: 0.04 x 2 = 0.08 > 0.05 rejects nothing, whatever follows
        assertArrayEquals(new boolean[] {false, false}, Holm.reject(new double[] {0.04, 0.045}, 0.05));
        assertArrayEquals(new double[] {0.08, 0.08}, Holm.adjusted(new double[] {0.04, 0.045}), 1e-12);
    }
}
