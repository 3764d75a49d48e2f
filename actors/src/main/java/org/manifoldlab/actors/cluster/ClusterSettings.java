package org.manifoldlab.actors.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The configuration of one cluster node: where it listens, which seed it joins, its roles. */
public final class ClusterSettings {

    /** Every node's ActorSystem has this name: Pekko joins only systems of the same name. */
    public static final String SYSTEM_NAME = "manifold-lab";
    public static final String COMPUTE_ROLE = "compute";
    public static final String COORDINATOR_ROLE = "coordinator";

    private ClusterSettings() {
    }

    /**
     * @param host  the address this node listens on and others reach it by
     * @param port  0 for any free port
     * @param seeds host:port of the seed nodes (a node that names itself forms the cluster)
     */
    public static Config node(String host, int port, List<String> seeds, List<String> roles) {
        return node(host, port, seeds, roles, null);
    }

    /**
     * The TLS of a node: its key store (a key and certificate from the cluster's CA, see
     * {@link ClusterCertificates}), the trust store holding the CA alone, and their password.
     * Every connection is TLS 1.3 with mutual authentication: a peer without a certificate from
     * this CA (or without TLS) cannot connect, let alone join.
     */
    public record Tls(Path keyStore, Path trustStore, String password) {

        /** The TLS of the key store NAME.p12 in a directory made by {@link ClusterCertificates}. */
        public static Tls of(Path keyStore) throws java.io.IOException {
            Path dir = keyStore.toAbsolutePath().getParent();
            if (!Files.isRegularFile(keyStore)) {
                throw new java.io.IOException(keyStore + ": no such key store (make one with lab cluster issue-cert DIR NAME)");
            }
            if (!Files.isRegularFile(dir.resolve(ClusterCertificates.TRUST_STORE))) {
                throw new java.io.IOException(dir + ": no " + ClusterCertificates.TRUST_STORE + " beside the key store (lab cluster init-ca makes it)");
            }
            return new Tls(keyStore.toAbsolutePath(), dir.resolve(ClusterCertificates.TRUST_STORE), ClusterCertificates.password(dir));
        }
    }

    /** As {@link #node(String, int, List, List)}; with tls non-null every connection is TLS with mutual authentication. */
    public static Config node(String host, int port, List<String> seeds, List<String> roles, Tls tls) {
        Config base = tls == null ? ConfigFactory.empty() : ConfigFactory.empty()
                .withValue("pekko.remote.artery.transport", ConfigValueFactory.fromAnyRef("tls-tcp"))
                .withValue("pekko.remote.artery.ssl.config-ssl-engine.key-store", ConfigValueFactory.fromAnyRef(tls.keyStore().toString()))
                .withValue("pekko.remote.artery.ssl.config-ssl-engine.trust-store", ConfigValueFactory.fromAnyRef(tls.trustStore().toString()))
                .withValue("pekko.remote.artery.ssl.config-ssl-engine.key-store-password", ConfigValueFactory.fromAnyRef(tls.password()))
                .withValue("pekko.remote.artery.ssl.config-ssl-engine.key-password", ConfigValueFactory.fromAnyRef(tls.password()))
                .withValue("pekko.remote.artery.ssl.config-ssl-engine.trust-store-password", ConfigValueFactory.fromAnyRef(tls.password()))
                .withValue("pekko.remote.artery.ssl.config-ssl-engine.require-mutual-authentication", ConfigValueFactory.fromAnyRef(true));
        return base
                .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(host))
                .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(port))
                .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(
                        seeds.stream().map(s -> "pekko://" + SYSTEM_NAME + "@" + s).toList()))
                .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(roles))
                .withFallback(ConfigFactory.systemProperties())  // -D settings (LAB_JAVA_OPTS) override the file below
                .withFallback(ConfigFactory.parseResources("manifold-lab-cluster.conf"))
                .withFallback(ConfigFactory.load())
                .resolve();
    }

    /**
     * A node that listens on loopback cannot be reached from a seed on another machine; returns
     * the problem, or null.
     */
    public static String loopbackProblem(String hostOption, String host, String seedOption, String seed) {
        String seedHost = seed.substring(0, seed.lastIndexOf(':'));
        if (isLoopback(host) && !isLoopback(seedHost)) {
            return hostOption + ": " + host + " is loopback, so " + seedOption + " " + seed
                    + " cannot reach this node; give this machine's address";
        }
        return null;
    }

    /**
     * A node bound to an address other people's machines can reach must authenticate them:
     * returns the problem when it would listen beyond loopback without TLS, or null.
     */
    public static String openDoorProblem(String hostOption, String host, Tls tls) {
        if (tls != null || isLoopback(host)) {
            return null;
        }
        return hostOption + ": " + host + " is reachable from other machines, and without TLS any program there could join the cluster"
                + " and give its nodes jobs; make the cluster's certificates (lab cluster init-ca DIR, then lab cluster issue-cert DIR NAME"
                + " for each node and the coordinator) and give --tls DIR/NAME.p12";
    }

    static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    /** Checks a HOST:PORT argument; returns the problem, or null. */
    public static String hostPortProblem(String option, String value) {
        int colon = value == null ? -1 : value.lastIndexOf(':');
        if (colon <= 0) {
            return option + ": expected HOST:PORT, got " + value;
        }
        try {
            int port = Integer.parseInt(value.substring(colon + 1));
            if (port < 1 || port > 65535) {
                return option + ": expected a port in 1..65535, got " + port;
            }
        } catch (NumberFormatException e) {
            return option + ": expected HOST:PORT with a numeric port, got " + value;
        }
        return null;
    }
}
