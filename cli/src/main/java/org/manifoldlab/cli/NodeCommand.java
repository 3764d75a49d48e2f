package org.manifoldlab.cli;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.manifoldlab.actors.cluster.ClusterSettings;
import org.manifoldlab.actors.cluster.ComputeNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lab node --join HOST:PORT}: a cluster node that runs the experiments sweeps place on it. */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = {"Start a node of a manifold-lab cluster and run until stopped (Ctrl-C or SIGTERM: its experiments stop, and the coordinator hands them to other nodes, which continue from their checkpoints).",
                "The first node names itself as the seed: lab node --join 10.0.0.1:2552 --host 10.0.0.1 --port 2552.",
                "Every node and `lab sweep --cluster` must see the runs directory at the same path (a shared file system), unless the node keeps its runs in a directory of its own with --local-runs: it then fetches each job's run from the coordinator and streams the run's files back to the coordinator's runs directory as they are written."})
final class NodeCommand implements Callable<Integer> {

    @Option(names = "--runs-dir", description = "the runs directory every job's run lies under, "
            + "at the same path as the coordinator's --runs-dir (default: runs, in the directory lab node starts in); a job naming a run outside it is refused")
    java.nio.file.Path runsDir;

    @Option(names = "--local-runs", paramLabel = "DIR", description = "instead of a shared --runs-dir: run each job in this directory of this machine's own, "
            + "after fetching the coordinator's copy of its run (a job taken over from a lost node continues from the newest checkpoint the coordinator holds), "
            + "and stream the run's files (metrics, events, manifest, checkpoints) back to the coordinator's runs directory as they are written")
    java.nio.file.Path localRuns;

    @Option(names = "--tls", paramLabel = "DIR/NAME.p12", description = "this node's key store from the cluster's CA (lab cluster init-ca, issue-cert): every connection is then TLS with mutual authentication; required unless --host is loopback")
    java.nio.file.Path tls;

    @Option(names = "--join", required = true, paramLabel = "HOST:PORT", description = "the seed node to join (this node itself, to start a cluster)")
    String seed;

    @Option(names = "--host", description = "the address this node listens on and is reached by (default: ${DEFAULT-VALUE})", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--port", description = "the port this node listens on (default: ${DEFAULT-VALUE})", defaultValue = "2552")
    int port;

    @Option(names = "--role", description = "compute (runs experiments) or seed (only helps the cluster form) (default: ${DEFAULT-VALUE})",
            defaultValue = "compute")
    String role;

    @Option(names = "--slots", description = "experiments this node runs at once (default: ${DEFAULT-VALUE})", defaultValue = "1")
    int slots;

    @Option(names = "--compute-threads", description = "threads for training, analysis and attacks (default: one per core); "
            + "give each node its share when several run on one machine")
    Integer computeThreads;

    @Override
    public Integer call() throws Exception {
        List<String> problems = new java.util.ArrayList<>();
        String seedProblem = ClusterSettings.hostPortProblem("--join", seed);
        if (seedProblem != null) {
            problems.add(seedProblem);
        } else {
            String loopback = ClusterSettings.loopbackProblem("--host", host, "--join", seed);
            if (loopback != null) {
                problems.add(loopback);
            }
        }
        if (port < 0 || port > 65535) {
            problems.add("--port: expected 0..65535, got " + port);
        }
        if (!role.equals(ClusterSettings.COMPUTE_ROLE) && !role.equals("seed")) {
            problems.add("--role: expected compute or seed, got " + role);
        }
        if (runsDir != null && localRuns != null) {
            problems.add("--runs-dir and --local-runs: give one (a shared runs directory, or one of this node's own whose runs are streamed to the coordinator)");
        }
        if (slots < 1) {
            problems.add("--slots: expected a positive integer, got " + slots);
        }
        if (computeThreads != null && computeThreads < 1) {
            problems.add("--compute-threads: expected a positive integer, got " + computeThreads);
        }
        ClusterSettings.Tls tlsSettings = null;
        try {
            tlsSettings = tls == null ? null : ClusterSettings.Tls.of(tls);
        } catch (java.io.IOException e) {
            problems.add("--tls: " + e.getMessage());
        }
        String door = tls != null && tlsSettings == null ? null : ClusterSettings.openDoorProblem("--host", host, tlsSettings);
        if (door != null) {
            problems.add(door);
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("lab: " + p));
            return ExitCodes.BAD_INPUT;
        }
        boolean compute = role.equals(ClusterSettings.COMPUTE_ROLE);
        var config = ConfigFactory.parseString("pekko.coordinated-shutdown.exit-jvm = on"
                        + (computeThreads == null ? "" : "\n" + org.manifoldlab.actors.Compute.DISPATCHER + ".thread-pool-executor.fixed-pool-size = " + computeThreads))
                .withFallback(ClusterSettings.node(host, port, List.of(seed), List.of(role), tlsSettings));
        ActorSystem<?> system = ActorSystem.create(Behaviors.setup(ctx -> {
            if (compute) {
                java.nio.file.Path runs = localRuns != null ? localRuns : runsDir != null ? runsDir : java.nio.file.Path.of("runs");
                ctx.watch(ctx.spawn(ComputeNode.create(slots, Version.current(), runs.toAbsolutePath().normalize(), localRuns != null), "node"));
            }
            return Behaviors.receive(Object.class).onSignal(org.apache.pekko.actor.typed.Terminated.class, t -> {
                ctx.getLog().error("the compute node stopped ({}); leaving the cluster", t);  // a node without slots serves nobody
                ctx.getSystem().terminate();
                return Behaviors.stopped();
            }).build();
        }), ClusterSettings.SYSTEM_NAME, config);
        system.getWhenTerminated().toCompletableFuture().get(3650, TimeUnit.DAYS);
        return ExitCodes.OK;
    }
}
