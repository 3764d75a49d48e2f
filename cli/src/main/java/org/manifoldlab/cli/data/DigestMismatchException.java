package org.manifoldlab.cli.data;

import java.io.IOException;
import java.net.URI;

/** Downloaded bytes that are not the expected file; the message names the file and both digests. */
public final class DigestMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    DigestMismatchException(ExpectedFile expected, String actual, long bytes, URI url) {
        super(expected.name() + ": " + expected.algorithmLabel() + " mismatch: expected " + expected.digest()
                + ", got " + actual + " (" + bytes + " bytes from " + url + "); the download was deleted,"
                + " nothing was written under " + expected.name());
    }
}
