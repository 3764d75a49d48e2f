package org.manifoldlab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.manifoldlab.actors.run.ExperimentSupervisor;
import org.manifoldlab.actors.run.Resume;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lab resume RUN_DIR}: continues an interrupted run from its newest valid checkpoint. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Continue an interrupted run (process killed, machine rebooted) from its newest valid checkpoint.",
                "Metrics rows written after that checkpoint are dropped and written again; the result equals an uninterrupted run's.",
                "Refuses a run whose spec.json changed, that another project version started, or whose checkpoints are all corrupt."})
final class ResumeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_DIR", description = "the run directory (runs/<experiment-id>)")
    Path runDir;

    @Override
    public Integer call() throws Exception {
        Resume.Plan plan;
        try {
            plan = Resume.prepare(runDir, Version.current());
        } catch (Resume.RefusedException e) {
            System.err.println("lab: " + e.getMessage());
            return Lab.BAD_INPUT;
        }
        plan.skipped().forEach(s -> System.err.println("lab: skipped a checkpoint: " + s));
        System.err.println("lab: resuming " + plan.run().id() + " after epoch " + plan.checkpoint().epoch());
        CompletableFuture<ExperimentSupervisor.Outcome> done = new CompletableFuture<>();
        ActorSystem<ExperimentSupervisor.Outcome> system = ActorSystem.create(Behaviors.setup(ctx -> {
            ctx.spawn(ExperimentSupervisor.resume(plan.spec(), plan.run(), plan.checkpoint(), ctx.getSelf()), "experiment");
            return Behaviors.receiveMessage(o -> {
                done.complete(o);
                return Behaviors.stopped();
            });
        }), "lab");
        ExperimentSupervisor.Outcome o = done.get(30, TimeUnit.DAYS);
        system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
        RunCommand.print(o);
        return o.completed() ? Lab.OK : Lab.EXPERIMENT_FAILED;
    }
}
