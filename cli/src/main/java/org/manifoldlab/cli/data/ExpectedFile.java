package org.manifoldlab.cli.data;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * What one downloaded file must be: its name, its size in bytes (-1 when not known) and one digest,
 * with the algorithm that digest was published in ({@code MD5} or {@code SHA-256}, Java's names).
 */
public record ExpectedFile(String name, long size, String algorithm, String digest) {

    public ExpectedFile {
        if (name == null || name.isEmpty() || name.contains("/") || name.startsWith(".")) {
            throw new IllegalArgumentException("file name '" + name + "': expected a plain file name");
        }
        if (size < -1) {
            throw new IllegalArgumentException(name + ": size " + size + " (expected -1 for unknown, or >= 0)");
        }
        MessageDigest md = newDigest(algorithm);
        digest = digest.toLowerCase(Locale.ROOT);
        if (!digest.matches("[0-9a-f]{" + 2 * md.getDigestLength() + "}")) {
            throw new IllegalArgumentException(name + ": " + algorithm + " digest '" + digest + "' is not "
                    + 2 * md.getDigestLength() + " hex digits");
        }
    }

    public static ExpectedFile sha256(String name, long size, String hex) {
        return new ExpectedFile(name, size, "SHA-256", hex);
    }

    public static ExpectedFile md5(String name, long size, String hex) {
        return new ExpectedFile(name, size, "MD5", hex);
    }

    MessageDigest newDigest() {
        return newDigest(algorithm);
    }

    /** "sha256", "md5": how messages and PROVENANCE name the algorithm. */
    String algorithmLabel() {
        return algorithm.replace("-", "").toLowerCase(Locale.ROOT);
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException | NullPointerException e) {
            throw new IllegalArgumentException("digest algorithm '" + algorithm + "': expected MD5 or SHA-256", e);
        }
    }
}
