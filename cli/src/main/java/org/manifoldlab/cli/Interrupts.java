package org.manifoldlab.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.manifoldlab.actors.run.ExperimentSupervisor;
import org.manifoldlab.rundir.RunLock;
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

    /** How long the experiments have to stop after a signal before their manifests are marked from here. */
    private static final java.time.Duration STOP_WITHIN = java.time.Duration.ofSeconds(10);

    /** Marks each run still held as interrupted: the manifest is rewritten when it still says running. */
    static void markInterrupted(List<Path> runs) {
        for (Path dir : runs) {
            org.manifoldlab.rundir.RunDirectory run = new org.manifoldlab.rundir.RunDirectory(dir);
            try {
                org.manifoldlab.rundir.Manifest m = run.readManifest();
                if (org.manifoldlab.rundir.Manifest.RUNNING.equals(m.status())) {
                    String problem = org.manifoldlab.rundir.RunEnd.writeManifest(run, m.with(org.manifoldlab.rundir.Manifest.INTERRUPTED,
                            m.epochsCompleted(), "", "stopped before it ended; continue it with lab resume", java.time.Instant.now().toString()));
                    if (problem != null) {
                        System.err.println("lab: " + dir + ": " + problem);
                    }
                }
            } catch (java.io.IOException e) {
                System.err.println("lab: " + dir + ": " + e.getMessage());
            }
        }
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
                        system.getWhenTerminated().toCompletableFuture().get(STOP_WITHIN.toSeconds(), TimeUnit.SECONDS);
                    } catch (Exception e) {
                        // an actor deep in a long computation (a PGD of many steps) does not stop between two of its
                        // messages: its run is marked here instead, so no manifest is left saying running
                        markInterrupted(RunLock.heldHere());
                    }
                    System.exit(exitCode);
                }, "lab-exit").start();
            });
        } catch (IllegalArgumentException unsupported) {
            // no such signal on this platform: the JVM's default handling stays
        }
    }
}
