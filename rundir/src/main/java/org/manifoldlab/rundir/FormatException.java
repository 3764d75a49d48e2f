package org.manifoldlab.rundir;

/** A file of a run directory that does not have its format; the message names the file, and the line and column where it can. */
public class FormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FormatException(String message) {
        super(message);
    }
}
