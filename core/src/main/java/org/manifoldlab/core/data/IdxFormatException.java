package org.manifoldlab.core.data;

import java.io.IOException;

/** A file that is not the IDX file it should be; the message names the file and the problem. */
public final class IdxFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public IdxFormatException(String file, String problem) {
        super(file + ": " + problem);
    }
}
