package org.manifoldlab.actors.analysis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.manifold.IntrinsicDimension;
import org.manifoldlab.core.spectrum.ProbeRows;

/**
 * The intrinsic dimension of a probe set's inputs, computed once per data set and probe set
 * (same name, size, features and values) in this JVM and then reused: every analysis point of a
 * run, and every run of a sweep on the same probes, asks for the same numbers. The key includes
 * a hash of every feature value, so two probe sets that differ anywhere never share an entry.
 */
final class InputDimensions {

    private static final Map<String, IntrinsicDimension> CACHE = new ConcurrentHashMap<>();

    private InputDimensions() {
    }

    /** TwoNN and Levina-Bickel of the probe inputs [size, features], jackknife over blocks. */
    static IntrinsicDimension of(Dataset probe, int blocks) {
        float[] x = new float[probe.size() * probe.features()];
        for (int i = 0; i < probe.size(); i++) {
            probe.copyFeatures(i, x, i * probe.features());
        }
        long hash = 1;
        for (float v : x) {
            hash = 31 * hash + Float.floatToIntBits(v);
        }
        String key = probe.name() + "/" + probe.size() + "x" + probe.features() + "/" + Long.toHexString(hash) + "/" + blocks;
        return CACHE.computeIfAbsent(key, k -> IntrinsicDimension.of(ProbeRows.wrap(x, probe.size(), probe.features()),
                Math.min(blocks, probe.size())));
    }
}
