package org.manifoldlab.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.manifoldlab.actors.run.ExperimentSupervisor;
import org.manifoldlab.actors.run.RunLock;
import sun.misc.Signal;

/**
 * Waits for the experiments of a command, and turns Ctrl-C and SIGTERM into an orderly stop:
 * the console names each unfinished run and how to continue it, the actor system shuts down
 * (each experiment's manifest then says interrupted), and the process exits 130 or 143.
 */
final class Interrupts {

    private Interrupts() {
    }

    static List<ExperimentSupervisor.Outcome> await(ActorSystem<?> system, CompletableFuture<List<ExperimentSupervisor.Outcome>> outcomes)
            throws InterruptedException, ExecutionException, TimeoutException {
        handle("INT", ExitCodes.SIGINT, system);
        handle("TERM", ExitCodes.SIGTERM, system);
        List<ExperimentSupervisor.Outcome> all = outcomes.get(30, TimeUnit.DAYS);
        system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
        return all;
    }

    private static void handle(String name, int exitCode, ActorSystem<?> system) {
        try {
            Signal.handle(new Signal(name), signal -> {
                List<Path> runs = RunLock.heldHere();
                System.err.println("lab: interrupted (SIG" + name + ")" + (runs.isEmpty() ? "" : "; unfinished, marked interrupted:"));
                runs.forEach(run -> System.err.println("lab:   " + run + "    continue with: lab resume " + run));
                // stopping the actor system stops every experiment, and each writes its manifest as interrupted
                new Thread(() -> {
                    system.terminate();
                    try {
                        system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
                    } catch (Exception e) {
                        System.err.println("lab: the experiments did not stop within a minute: " + e);
                    }
                    System.exit(exitCode);
                }, "lab-exit").start();
            });
        } catch (IllegalArgumentException unsupported) {
            // no such signal on this platform: the JVM's default handling stays
        }
    }
}
