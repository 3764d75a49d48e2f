package org.manifoldlab.cli.data;

import org.manifoldlab.cli.ExitCodes;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lab data}: the commands that inspect, import and fetch data sets. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = {"Inspect, import and fetch IDX (MNIST-format) data sets.",
                "Exit codes: 0 done; 1 the operation failed (a download, a digest or checksum mismatch, an I/O error); 2 bad input (nothing is changed)."},
        subcommands = {DataInfoCommand.class, DataImportCommand.class, DataFetchCommand.class})
public final class DataCommand implements Runnable {

    /** Exit code of a data command whose operation failed (Lab's code 1). */
    static final int FAILED = ExitCodes.FAILED;

    /** Where {@code import} and {@code fetch} put data sets by default: not data/, which core embeds in its jar. */
    static final String DEFAULT_DATA_DIR = "datasets";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
