package org.manifoldlab.actors.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The cluster's own certificate authority and its nodes' certificates, made with the JDK's
 * keytool: a directory holds the CA's key store ({@code ca.p12}), the trust store every node
 * loads ({@code truststore.p12}, the CA's certificate alone), one key store per node or
 * coordinator ({@code NAME.p12}: its key and a certificate the CA signed for both TLS server and
 * client use), and the one password of them all ({@code password}, readable by its owner only).
 * Anyone holding a certificate from this CA can join the cluster; keep the directory private.
 */
public final class ClusterCertificates {

    public static final String CA = "ca.p12";
    public static final String TRUST_STORE = "truststore.p12";
    public static final String PASSWORD = "password";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private ClusterCertificates() {
    }

    /** Makes a new CA in dir (which must not hold one yet): its key store, its certificate as PEM, the trust store, the password. */
    public static void initCa(Path dir) throws IOException {
        if (Files.exists(dir.resolve(CA))) {
            throw new IOException(dir.resolve(CA) + " exists: this directory has a CA already");
        }
        Files.createDirectories(dir);
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        Path passwordFile = dir.resolve(PASSWORD);
        Files.writeString(passwordFile, password, StandardCharsets.US_ASCII);
        ownerOnly(passwordFile);
        keytool(dir, "-genkeypair", "-alias", "ca", "-dname", "CN=manifold-lab cluster CA", "-keyalg", "EC", "-groupname", "secp256r1",
                "-validity", "3650", "-ext", "bc:c", "-keystore", CA, "-storetype", "PKCS12", "-storepass", password, "-keypass", password);
        ownerOnly(dir.resolve(CA));
        keytool(dir, "-exportcert", "-rfc", "-alias", "ca", "-keystore", CA, "-storepass", password, "-file", "ca.pem");
        keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", TRUST_STORE, "-storetype", "PKCS12",
                "-storepass", password);
    }

    /** Issues NAME.p12 in dir: a key and a certificate the CA signed for both ends of a TLS connection. */
    public static Path issue(Path dir, String name) throws IOException {
        if (!NAME.matcher(name).matches()) {
            throw new IOException("certificate name: expected letters, digits, '.', '_' or '-', got " + name);
        }
        if (!Files.exists(dir.resolve(CA))) {
            throw new IOException(dir + ": no CA here (make one with lab cluster init-ca " + dir + ")");
        }
        Path store = dir.resolve(name + ".p12");
        if (Files.exists(store)) {
            throw new IOException(store + " exists");
        }
        String password = password(dir);
        keytool(dir, "-genkeypair", "-alias", "node", "-dname", "CN=" + name, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "825",
                "-keystore", store.getFileName().toString(), "-storetype", "PKCS12", "-storepass", password, "-keypass", password);
        keytool(dir, "-certreq", "-alias", "node", "-keystore", store.getFileName().toString(), "-storepass", password, "-file", name + ".csr");
        keytool(dir, "-gencert", "-rfc", "-alias", "ca", "-keystore", CA, "-storepass", password, "-infile", name + ".csr",
                "-outfile", name + ".pem", "-validity", "825", "-ext", "ku:c=digitalSignature,keyAgreement", "-ext", "eku=serverAuth,clientAuth");
        keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", store.getFileName().toString(),
                "-storepass", password);
        keytool(dir, "-importcert", "-alias", "node", "-file", name + ".pem", "-keystore", store.getFileName().toString(), "-storepass", password);
        Files.deleteIfExists(dir.resolve(name + ".csr"));
        ownerOnly(store);
        return store;
    }

    /** Keys are readable by their owner only. */
    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // a file system without POSIX permissions: the directory's own protection must do
        }
    }

    /** The password of the stores in dir. */
    public static String password(Path dir) throws IOException {
        return Files.readString(dir.resolve(PASSWORD), StandardCharsets.US_ASCII).strip();
    }

    private static void keytool(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        // keytool is a JVM that lives half a second: with the client compiler alone and the serial
        // collector an EC key pair took 0.35 s instead of 0.54 s and half the CPU (a CA and a node are 8 runs)
        command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        }
    }
}
