package org.manifoldlab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorSystem;
import org.manifoldlab.actors.Answer;
import org.manifoldlab.actors.run.Admission;
import org.manifoldlab.actors.run.ExperimentScheduler;
import org.manifoldlab.actors.run.ExperimentSupervisor;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.config.Overrides;
import org.manifoldlab.core.Kernels;
import org.manifoldlab.rundir.SweepPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code lab run [SPEC...]}: validates every spec first, then runs all experiments. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the experiments of one or more spec files (a sweep section expands to several).")
final class RunCommand implements Callable<Integer> {

    static final Path DEFAULT_SPEC = Path.of("experiments/quick.yaml");

    @Parameters(arity = "0..*", paramLabel = "SPEC|KEY=VALUE", description = {"YAML or JSON spec files (default: the quick experiment), then overrides of their keys: training.epochs=3 network.widths=[500,500]"})
    List<String> arguments = new ArrayList<>();

    @Mixin
    ExperimentOptions options = new ExperimentOptions();

    @Override
    public Integer call() throws Exception {
        List<Path> specs = new ArrayList<>();
        List<String> overrides = new ArrayList<>();
        for (String argument : arguments) {
            if (Overrides.looksLikeOne(argument) && !java.nio.file.Files.exists(Path.of(argument))) {
                overrides.add(argument);
            } else {
                specs.add(Path.of(argument));
            }
        }
        if (specs.isEmpty()) {
            specs.add(defaultSpec());
        }
        List<ExperimentSpec> experiments = options.load(specs, overrides, List.of());
        if (experiments == null) {
            return ExitCodes.BAD_INPUT;
        }
        return exitCode(runAll(experiments, options.runsDir, options.admission()));
    }

    /** experiments/quick.yaml here, else the copy inside the jar (written out once, so messages can name a file). */
    static Path defaultSpec() throws java.io.IOException {
        if (java.nio.file.Files.isRegularFile(DEFAULT_SPEC)) {
            return DEFAULT_SPEC;
        }
        Path copy = java.nio.file.Files.createTempDirectory("lab-spec").resolve("quick.yaml");
        try (var in = RunCommand.class.getResourceAsStream("quick.yaml")) {
            if (in == null) {
                throw new java.io.IOException("the default spec is missing from the jar; give a spec file");
            }
            java.nio.file.Files.copy(in, copy);
        }
        copy.getParent().toFile().deleteOnExit();  // deleted last: files registered later go first
        copy.toFile().deleteOnExit();
        return copy;
    }

    static List<ExperimentSupervisor.Outcome> runAll(List<ExperimentSpec> experiments, Path runsDir, Admission admission) throws Exception {
        return run(replyTo -> ExperimentScheduler.create(experiments, runsDir, admission, null, replyTo));
    }

    /** The members of a planned sweep, each in its run directory: kept, continued or started. */
    static List<ExperimentSupervisor.Outcome> runPlanned(List<SweepPlan.Member> members, Admission admission) throws Exception {
        return run(replyTo -> ExperimentScheduler.ofPlan(members, Version.current(), admission, null, replyTo));
    }

    private static List<ExperimentSupervisor.Outcome> run(java.util.function.Function<org.apache.pekko.actor.typed.ActorRef<ExperimentScheduler.AllDone>,
            org.apache.pekko.actor.typed.Behavior<ExperimentScheduler.Command>> scheduler) throws Exception {
        CompletableFuture<ExperimentScheduler.AllDone> done = new CompletableFuture<>();
        startNativeKernels();
        ActorSystem<ExperimentScheduler.AllDone> system = ActorSystem.create(Answer.of(scheduler, "scheduler", done), "lab");
        List<ExperimentSupervisor.Outcome> outcomes = Interrupts.await(system, done.thenApply(ExperimentScheduler.AllDone::outcomes));
        outcomes.forEach(RunCommand::print);
        summarize(outcomes);
        return outcomes;
    }

    /**
     * Loads ND4J's native libraries and sets the kernels' threads (as every experiment does first)
     * on a thread of its own, while the actor system starts on this one: the two took 0.4 s and
     * 1.3 s one after the other before the first experiment could start.
     */
    private static void startNativeKernels() {
        Thread kernels = new Thread(Kernels::singleThreaded, "native-kernels");
        kernels.setDaemon(true);
        kernels.start();
    }

    /** Each completed run's findings in a few lines, then the command that draws its report. */
    static void summarize(List<ExperimentSupervisor.Outcome> outcomes) {
        List<ExperimentSupervisor.Outcome> completed = outcomes.stream().filter(ExperimentSupervisor.Outcome::completed).toList();
        if (completed.isEmpty() || completed.size() > 4) {
            return;  // a sweep's members are compared by lab report, not here
        }
        System.out.println();
        completed.forEach(o -> RunSummary.print(o.runDir(), System.out));
        System.out.println("Next: ./lab report " + (completed.size() == 1 ? completed.get(0).runDir() : completed.get(0).runDir().getParent()));
    }

    static int exitCode(List<ExperimentSupervisor.Outcome> outcomes) {
        return outcomes.stream().allMatch(ExperimentSupervisor.Outcome::completed) ? ExitCodes.OK : ExitCodes.FAILED;
    }

    static void print(ExperimentSupervisor.Outcome o) {
        System.out.printf("%-40s %-10s %s%n", o.id(), o.completed() ? "completed" : "FAILED",
                o.completed() ? o.runDir() + "  fingerprint " + o.fingerprint().substring(0, 16) : o.reason());
    }

}
