package org.manifoldlab.actors.analysis;

import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.manifoldlab.config.AnalysisSpec;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.Adam;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.probe.LinearProbes;

/**
 * Trains the linear probes of one frozen snapshot (core's {@link LinearProbes}) on the compute
 * dispatcher, replies once and stops. Holds nothing between requests: a failed worker is simply
 * a failed job, redone by whoever asks again.
 */
public final class LinearProbeWorker {

    public sealed interface Command {
    }

    /** Train the probes; the reply carries one result per layer. */
    public record Train(ActorRef<Trained> replyTo) implements Command {
    }

    public record Trained(List<LinearProbes.Result> results) {
    }

    private LinearProbeWorker() {
    }

    /** @param snapshot a frozen network this worker may use alone */
    public static Behavior<Command> create(Network snapshot, Dataset train, Dataset test, AnalysisSpec.LinearProbe spec, long seed) {
        LinearProbes.Settings settings = new LinearProbes.Settings(spec.epochs(), spec.batchSize(), new Adam(spec.learningRate()));
        return Behaviors.receive(Command.class)
                .onMessage(Train.class, m -> {
                    m.replyTo().tell(new Trained(LinearProbes.train(snapshot, train, test, settings, seed)));
                    return Behaviors.stopped();
                })
                .build();
    }
}
