package org.manifoldlab.rundir;

/**
 * manifest.json: what a run is and where it stands.
 *
 * @param status          running, completed, failed, or interrupted (stopped from outside; resumable)
 * @param epochsCompleted epochs whose training is done
 * @param fingerprint     SHA-256 of the final weights (empty until completed)
 * @param reason          why a run failed (empty otherwise)
 * @param host            the machine of the process that writes the run
 * @param pid             that process; a "running" run whose process is gone was interrupted
 * @param format          the version of the run directory's format ({@link #FORMAT})
 * @param provenance      what produced the run: build commit, versions, machine, threads, command line ({@link Provenance})
 * @param wallSeconds     wall time spent so far in each phase: training, analysis, attacks
 */
public record Manifest(String id, String name, long seed, String version, String status, int epochs, int epochsCompleted,
                       String fingerprint, String reason, String created, String updated, String host, long pid,
                       int format, java.util.Map<String, Object> provenance, java.util.Map<String, Double> wallSeconds) {

    /** The run directory's format: 2 added format, provenance and wallSeconds to this manifest. */
    public static final int FORMAT = 2;

    /** A manifest of this format with no provenance yet. */
    public Manifest(String id, String name, long seed, String version, String status, int epochs, int epochsCompleted,
                    String fingerprint, String reason, String created, String updated, String host, long pid) {
        this(id, name, seed, version, status, epochs, epochsCompleted, fingerprint, reason, created, updated, host, pid, FORMAT,
                java.util.Map.of(), java.util.Map.of());
    }

    public Manifest {
        provenance = provenance == null ? java.util.Map.of() : provenance;
        wallSeconds = wallSeconds == null ? java.util.Map.of() : wallSeconds;
    }

    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    /**
     * Written when a run is stopped from outside (Ctrl-C, SIGTERM, a node leaving); also what lab
     * status shows for a manifest that says running when its process is gone (killed -9).
     */
    public static final String INTERRUPTED = "interrupted";

    /** This machine's name, for the manifest. */
    public static String thisHost() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    /** The state a reader should believe: running only while the writing process is alive (checked on this host). */
    public String observedStatus() {
        return writerIsGone() ? INTERRUPTED : status;
    }

    /**
     * Whether the manifest says running although the process that writes it is gone: it was
     * killed (kill -9, a lost machine) before it could write interrupted. Decided on this host
     * only; a run written by another machine is believed. (Not named like a getter: the manifest's
     * JSON holds what was written, not what a reader concludes.)
     */
    public boolean writerIsGone() {
        if (!RUNNING.equals(status) || !thisHost().equals(host)) {
            return false;
        }
        return !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    public Manifest with(String newStatus, int completed, String newFingerprint, String newReason, String now) {
        return new Manifest(id, name, seed, version, newStatus, epochs, completed, newFingerprint, newReason, created, now, host, pid,
                format, provenance, wallSeconds);
    }

    public Manifest withProvenance(java.util.Map<String, Object> what) {
        return new Manifest(id, name, seed, version, status, epochs, epochsCompleted, fingerprint, reason, created, updated, host, pid,
                format, what, wallSeconds);
    }

    public Manifest withWallSeconds(java.util.Map<String, Double> phases) {
        return new Manifest(id, name, seed, version, status, epochs, epochsCompleted, fingerprint, reason, created, updated, host, pid,
                format, provenance, phases);
    }
}
