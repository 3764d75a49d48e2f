package org.manifoldlab.rundir;

import java.io.IOException;

/**
 * How the end of a run is told when the ordinary path (the recorder) cannot tell it: reasons
 * as people read them, and the manifest written directly, as far as the disk allows.
 */
public final class RunEnd {

    private RunEnd() {
    }

    /**
     * What went wrong, in words: the message of the failure (or of its first cause that has
     * one), with the exception's name only when no message says anything.
     */
    public static String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank() && !message.equals(String.valueOf(t.getCause()))) {
                return t instanceof java.nio.file.FileSystemException fs && fs.getReason() != null && fs.getFile() != null
                        ? fs.getFile() + ": " + fs.getReason() : message.strip();
            }
        }
        return failure.getClass().getSimpleName();
    }

    /**
     * Writes manifest.json directly (for when the recorder is gone). Returns null, or why it could
     * not be written (a full disk, say): then the manifest still names the process, which is
     * gone once this process ends, so readers see the run as interrupted, never running.
     */
    public static String writeManifest(RunDirectory run, Manifest manifest) {
        try {
            run.writeManifest(manifest);
            return null;
        } catch (IOException | RuntimeException e) {
            return "manifest.json could not be updated: " + reason(e);
        }
    }
}
