package org.manifoldlab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lab} command. Exit codes: 0 success, 1 an experiment failed, 2 bad input. */
@Command(name = "lab", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Train local-error networks and measure the spectra and robustness of their hidden layers.",
        subcommands = {RunCommand.class, SweepCommand.class, ResumeCommand.class, NodeCommand.class,
                org.manifoldlab.cli.report.ReportCommand.class, org.manifoldlab.cli.data.DataCommand.class,
                org.manifoldlab.cli.status.StatusCommand.class, BenchCommand.class,
                org.manifoldlab.cli.analyze.AnalyzeCommand.class})
public final class Lab implements Runnable {

    public static final int OK = 0;
    public static final int EXPERIMENT_FAILED = 1;
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Lab());
        cli.setExitCodeExceptionMapper(e -> BAD_INPUT);
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("lab: " + e.getMessage());
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return BAD_INPUT;
        });
        return cli.execute(args);
    }
}
