package org.manifoldlab.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorSystem;
import org.manifoldlab.actors.Answer;
import org.manifoldlab.actors.run.ExperimentSupervisor;
import org.manifoldlab.actors.run.Resume;
import org.manifoldlab.rundir.RunLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lab resume RUN_DIR}: continues an interrupted run from its newest valid checkpoint. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Continue an interrupted run (process killed, machine rebooted) from its newest valid checkpoint.",
                "Metrics rows written after that checkpoint are dropped and written again; the result equals an uninterrupted run's.",
                "A run stopped before its first checkpoint starts over in its directory.",
                "Refuses a run that another process owns, whose spec.json changed, that another project version started, "
                        + "or whose checkpoints are all corrupt."})
final class ResumeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_DIR", description = "the run directory (runs/<experiment-id>)")
    Path runDir;

    @Override
    public Integer call() throws Exception {
        Resume.Plan plan;
        RunLock lock;
        try {
            Resume.requireRunDirectory(runDir);
            lock = RunLock.acquire(runDir);
        } catch (Resume.RefusedException | RunLock.HeldException e) {
            System.err.println("lab: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        try {
            plan = Resume.prepare(runDir, Version.current());
            if (plan.checkpoint() == null) {
                plan.run().reset(plan.spec().name());
            }
        } catch (Resume.RefusedException e) {
            lock.close();
            System.err.println("lab: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        plan.skipped().forEach(s -> System.err.println("lab: skipped a checkpoint: " + s));
        System.err.println(plan.checkpoint() == null ? "lab: " + plan.run().id() + " stopped before its first checkpoint; starting it over in place"
                : "lab: resuming " + plan.run().id() + " after epoch " + plan.checkpoint().epoch());
        CompletableFuture<ExperimentSupervisor.Outcome> done = new CompletableFuture<>();
        ActorSystem<ExperimentSupervisor.Outcome> system = ActorSystem.create(Answer.of(
                replyTo -> ExperimentSupervisor.resume(plan.spec(), plan.run(), plan.checkpoint(), replyTo, lock), "experiment", done), "lab");
        List<ExperimentSupervisor.Outcome> outcomes = Interrupts.await(system, done.thenApply(List::of));
        RunCommand.print(outcomes.get(0));
        return RunCommand.exitCode(outcomes);
    }
}
