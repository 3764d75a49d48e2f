package org.manifoldlab.serve;

import java.util.List;
import java.util.Map;

/**
 * One row of the runs page: what a run directory says about itself now.
 *
 * @param id        the run's path under the runs directory ("quick-20261201-081529", or "sweep/member" for a sweep's member)
 * @param sweep     the sweep directory it belongs to (its path under the runs directory), or null
 * @param state     running, completed, failed, interrupted, stale (the manifest says running but its process is gone),
 *                  pending (a sweep member not started) or unreadable
 * @param progress  0..1: steps done over all steps while running (from the last progress event), epochs otherwise
 * @param etaAt     when the run is expected to end (the last progress event's time plus its ETA), or null
 * @param alpha     the last analysis' alpha of each layer (layers from 1)
 * @param swept     the settings a sweep or an override gave the run, in the sweep's order
 * @param settings  the swept settings first, then the main spec keys
 * @param problem   why (part of) the run directory could not be read, or null
 */
public record RunSummary(String id, String name, String sweep, String state, String reason, int epoch, int epochs, double progress,
                         String etaAt, Double bestTestAccuracy, Integer bestLayer, Map<Integer, Double> alpha, int restarts,
                         List<String> swept, List<String> settings, String updated, String problem) {

    public static final String STALE = "stale";
    public static final String PENDING = "pending";
    public static final String UNREADABLE = "unreadable";

    /** A run whose directory cannot be read: its row says why. */
    static RunSummary unreadable(String id, String sweep, String problem) {
        return new RunSummary(id, id.substring(id.lastIndexOf('/') + 1), sweep, UNREADABLE, "", 0, 0, 0, null, null, null, Map.of(), 0,
                List.of(), List.of(), null, problem);
    }
}
