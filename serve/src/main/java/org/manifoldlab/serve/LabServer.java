package org.manifoldlab.serve;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * The web server of lab serve: one actor system whose guardian is the {@link Catalog} of a runs
 * directory, and Pekko HTTP bound to a host and port. {@link #start} returns once it listens;
 * {@link #close} unbinds and stops everything.
 */
public final class LabServer implements AutoCloseable {

    /** How often the runs directory is listed for runs that appeared or went. */
    public static final Duration SCAN_EVERY = Duration.ofSeconds(1);

    private final ActorSystem<Catalog.Command> system;
    private final ServerBinding binding;

    private LabServer(ActorSystem<Catalog.Command> system, ServerBinding binding) {
        this.system = system;
        this.binding = binding;
    }

    /**
     * Serves runsDir at host:port (port 0 takes a free one).
     *
     * @throws java.io.IOException when the port cannot be bound (its message says which and why)
     */
    public static LabServer start(Path runsDir, String host, int port) throws java.io.IOException {
        return start(runsDir, host, port, SCAN_EVERY, RunFollower.Intervals.DEFAULT);
    }

    static LabServer start(Path runsDir, String host, int port, Duration scanEvery, RunFollower.Intervals intervals) throws java.io.IOException {
        Behavior<Catalog.Command> guardian = Catalog.create(runsDir, scanEvery, intervals);
        Config config = ConfigFactory.parseString("""
                pekko.loglevel = WARNING
                pekko.stdout-loglevel = WARNING
                pekko.http.server.idle-timeout = infinite
                pekko.http.server.remote-address-attribute = off
                pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
                pekko.http.server.server-header = lab-serve
                """).withFallback(ConfigFactory.load());
        ActorSystem<Catalog.Command> system = ActorSystem.create(guardian, "lab-serve", config);
        try {
            Routes routes = new Routes(system, system, runsDir);
            ServerBinding binding = Http.get(system).newServerAt(host, port).bind(routes.route()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            return new LabServer(system, binding);
        } catch (Exception e) {
            system.terminate();
            Throwable cause = e instanceof java.util.concurrent.ExecutionException || e instanceof CompletionException ? e.getCause() : e;
            throw new java.io.IOException("cannot serve on " + host + ":" + port + ": " + (cause == null ? e : cause).getMessage(), cause);
        }
    }

    public InetSocketAddress address() {
        return binding.localAddress();
    }

    public int port() {
        return binding.localAddress().getPort();
    }

    ActorRef<Catalog.Command> catalog() {
        return system;
    }

    /** Returns when the actor system has stopped (after close, or when it failed). */
    public void awaitTermination() throws InterruptedException {
        try {
            system.getWhenTerminated().toCompletableFuture().get();
        } catch (java.util.concurrent.ExecutionException e) {
            // terminated all the same
        }
    }

    @Override
    public void close() {
        system.tell(Catalog.EndPages.INSTANCE);
        try {
            binding.terminate(Duration.ofSeconds(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the actor system's end closes its sockets in any case
        }
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // a system that does not stop in 30 s is left to the JVM's end
        }
    }
}
