package org.manifoldlab.actors.cluster;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** A compute node in a JVM of its own, for a test to kill: args SEED_HOST:PORT VERSION. */
public final class CrashableComputeNode {

    /**
     * Unreachable nodes are downed within seconds, not the production 20 s. A test kit's node may
     * take its time to stop: one that leaves after its peers are gone waits out remoting's and the
     * cluster's shutdown phases (over the test kit's 10 s default once, with TLS, in CI), so
     * teardown allows 60 s.
     */
    public static final String FAST_DOWNING = """
            pekko.cluster.split-brain-resolver.stable-after = 2s
            pekko.cluster.failure-detector.heartbeat-interval = 500ms
            pekko.cluster.failure-detector.acceptable-heartbeat-pause = 2s
            manifold-lab.cluster.retry-busy-slot = 300ms
            pekko.actor.testkit.typed.system-shutdown-default = 60s
            """;

    private CrashableComputeNode() {
    }

    public static void main(String[] args) {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.setup(ctx -> {
            ctx.spawn(ComputeNode.create(1, args[1], java.nio.file.Path.of(args[2])), "node");
            return Behaviors.empty();
        }), ClusterSettings.SYSTEM_NAME, ConfigFactory.parseString(FAST_DOWNING)
                .withFallback(ClusterSettings.node("127.0.0.1", 0, List.of(args[0]), List.of(ClusterSettings.COMPUTE_ROLE))));
        system.getWhenTerminated().toCompletableFuture().join();
    }
}
