package org.manifoldlab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lab} command; its exit codes are {@link ExitCodes}. */
@Command(name = "lab", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Train local-error networks and measure the spectra and robustness of their hidden layers.",
        subcommands = {RunCommand.class, SweepCommand.class, ResumeCommand.class, NodeCommand.class, ClusterCommand.class,
                org.manifoldlab.cli.report.ReportCommand.class, org.manifoldlab.cli.report.TablesCommand.class, org.manifoldlab.cli.data.DataCommand.class,
                org.manifoldlab.cli.status.StatusCommand.class, org.manifoldlab.cli.export.ExportCommand.class,
                org.manifoldlab.cli.export.CleanCommand.class, org.manifoldlab.cli.analyze.AnalyzeCommand.class,
                org.manifoldlab.cli.serve.ServeCommand.class, BenchCommand.class})
public final class Lab implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        if (java.util.Arrays.asList(args).contains("--verbose")) {
            System.setProperty("lab.stack", "ex");  // read when logging starts: before any command logs
        }
        // logging starts here, on one thread: when the actor system's threads started it, SLF4J
        // printed a 3-line warning about replayed calls
        org.slf4j.LoggerFactory.getLogger(Lab.class);
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Lab());
        cli.setExitCodeExceptionMapper(e -> ExitCodes.BAD_INPUT);
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("lab: " + e.getMessage());
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return ExitCodes.BAD_INPUT;
        });
        return cli.execute(args);
    }
}
