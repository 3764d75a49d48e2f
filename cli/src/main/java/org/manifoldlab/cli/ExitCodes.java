package org.manifoldlab.cli;

/** What the lab command's exit status means, for every command. */
public final class ExitCodes {

    public static final int OK = 0;
    /** What the command was asked to do failed: an experiment, a download, an import. */
    public static final int FAILED = 1;
    /** Bad input: nothing was run and no run directory was made. */
    public static final int BAD_INPUT = 2;
    /** Stopped by Ctrl-C (128 + SIGINT) or SIGTERM (128 + 15), as shells report them; runs are left interrupted. */
    public static final int SIGINT = 130;
    public static final int SIGTERM = 143;

    private ExitCodes() {
    }
}
