package org.manifoldlab.actors.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.manifoldlab.config.Specs;

/** Runs one experiment in its own JVM (for tests that kill a process): RunOne SPEC_YAML RUNS_DIR. */
public final class RunOne {

    private RunOne() {
    }

    public static void main(String[] args) throws Exception {
        var spec = Specs.parseOne(Files.readString(Path.of(args[0])), false);
        CompletableFuture<ExperimentSupervisor.Outcome> done = new CompletableFuture<>();
        ActorSystem<ExperimentSupervisor.Outcome> system = ActorSystem.create(Behaviors.setup(ctx -> {
            ctx.spawn(ExperimentSupervisor.create(spec, Path.of(args[1]), ctx.getSelf()), "experiment");
            return Behaviors.receiveMessage(o -> {
                done.complete(o);
                return Behaviors.stopped();
            });
        }), "run-one");
        ExperimentSupervisor.Outcome o = done.get(10, TimeUnit.MINUTES);
        system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
        System.exit(o.completed() ? 0 : 1);
    }
}
