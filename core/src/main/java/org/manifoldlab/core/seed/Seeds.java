package org.manifoldlab.core.seed;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Every random stream of an experiment is derived from (seed, purpose, index): the weight
 * initialisation of layer 3 is {@code stream(seed, "init", 3)}, the batch order of epoch 7 is
 * {@code stream(seed, "batch-order", 7)}. Streams never share state, so adding a layer or an
 * attack never shifts another stream, and nothing depends on global random state.
 */
public final class Seeds {

    private Seeds() {
    }

    /** The 64-bit seed of one stream: SplitMix64 finalisers over the seed, the purpose's hash and the index. */
    public static long derive(long seed, String purpose, long index) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ (b & 0xFF));
        }
        return mix(h ^ mix(index + 0x632BE59BD9B4E019L));
    }

    /** A fresh generator for one purpose; the same arguments always give the same sequence. */
    public static SplittableRandom stream(long seed, String purpose, long index) {
        return new SplittableRandom(derive(seed, purpose, index));
    }

    /** Fills {@code out} with independent N(0, sd^2) draws. */
    public static void fillGaussian(SplittableRandom random, float[] out, double sd) {
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (random.nextGaussian() * sd);
        }
    }

    /** Fisher-Yates permutation of 0..n-1. */
    public static int[] permutation(SplittableRandom random, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
