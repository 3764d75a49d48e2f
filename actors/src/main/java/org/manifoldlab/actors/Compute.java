package org.manifoldlab.actors;

import org.apache.pekko.actor.typed.DispatcherSelector;

/**
 * Where the heavy math of every actor runs, and in what pieces: the compute dispatcher (one
 * thread per core, configured in reference.conf) keeps the default dispatcher free for control
 * messages; the probe set travels in chunks of {@link #PROBE_CHUNK_ROWS} rows.
 */
public final class Compute {

    /** The dispatcher's path in the configuration. */
    public static final String DISPATCHER = "manifold-lab.compute-dispatcher";
    /** Probe rows per chunk streamed to analyzers (an attacker job takes two: AttackPlan.BATCH_ROWS). */
    public static final int PROBE_CHUNK_ROWS = 500;

    private Compute() {
    }

    public static DispatcherSelector dispatcher() {
        return DispatcherSelector.fromConfig(DISPATCHER);
    }
}
