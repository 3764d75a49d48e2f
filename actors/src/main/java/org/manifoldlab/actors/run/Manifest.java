package org.manifoldlab.actors.run;

/**
 * manifest.json: what a run is and where it stands.
 *
 * @param status          running, completed or failed
 * @param epochsCompleted epochs whose training is done
 * @param fingerprint     SHA-256 of the final weights (empty until completed)
 * @param reason          why a run failed (empty otherwise)
 */
public record Manifest(String id, String name, long seed, String version, String status, int epochs, int epochsCompleted,
                       String fingerprint, String reason, String created, String updated) {

    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    public Manifest with(String newStatus, int completed, String newFingerprint, String newReason, String now) {
        return new Manifest(id, name, seed, version, newStatus, epochs, completed, newFingerprint, newReason, created, now);
    }
}
