package org.manifoldlab.cli.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * A file's digest in the algorithm of an {@link ExpectedFile}, its SHA-256 (for PROVENANCE, whatever
 * verified it) and its length, read in one pass.
 */
record FileDigests(String expected, String sha256, long bytes) {

    static FileDigests of(Path file, ExpectedFile spec) throws IOException {
        MessageDigest want = spec.newDigest();
        MessageDigest sha = ExpectedFile.newDigest("SHA-256");
        boolean same = want.getAlgorithm().equals(sha.getAlgorithm());
        long bytes = 0;
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                want.update(buffer, 0, n);
                if (!same) {
                    sha.update(buffer, 0, n);
                }
                bytes += n;
            }
        }
        String w = ExpectedFile.hex(want.digest());
        return new FileDigests(w, same ? w : ExpectedFile.hex(sha.digest()), bytes);
    }

    boolean matches(ExpectedFile spec) {
        return expected.equals(spec.digest());
    }
}
