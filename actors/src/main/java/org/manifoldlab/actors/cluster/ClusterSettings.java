package org.manifoldlab.actors.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
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
        return ConfigFactory.empty()
                .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(host))
                .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(port))
                .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(
                        seeds.stream().map(s -> "pekko://" + SYSTEM_NAME + "@" + s).toList()))
                .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(roles))
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

    private static boolean isLoopback(String host) {
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
