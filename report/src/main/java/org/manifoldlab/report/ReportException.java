package org.manifoldlab.report;

/** The input cannot be reported on (not a run or sweep, a malformed file): the user's problem, exit code 2. */
public final class ReportException extends org.manifoldlab.rundir.FormatException {

    private static final long serialVersionUID = 1L;

    public ReportException(String message) {
        super(message);
    }
}
