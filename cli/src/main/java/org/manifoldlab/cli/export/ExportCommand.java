package org.manifoldlab.cli.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.manifoldlab.cli.ExitCodes;
import org.manifoldlab.cli.status.RunStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lab export DIR}: every run's settings and final metrics in one tidy CSV; {@code --arrays} for one run's weights and activations. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write one tidy CSV of the runs under a directory: a row per run and layer with the run's id and state, "
                + "every spec key (the varied ones first) and the layer's metrics at its last analysis (pandas: pd.read_csv).",
                "With --arrays on one run: its final weights and its probe activations at every layer as .npy files (numpy.load, lab analyze)."})
public final class ExportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "a runs directory, a sweep, or one run")
    Path dir;

    @Option(names = "--per-epoch", description = "a row per run, analysed epoch and layer (the long form)")
    boolean perEpoch;

    @Option(names = "--out", paramLabel = "FILE|DIR", description = "where to write (default: the CSV to standard output; arrays to RUN/arrays)")
    Path out;

    @Option(names = "--arrays", description = "write one run's weights and probe activations as .npy files")
    boolean arrays;

    @Override
    public Integer call() throws IOException {
        if (arrays) {
            if (!RunTable.isRun(dir)) {
                System.err.println("lab: " + dir + ": --arrays needs one run directory (with spec.json and manifest.json)");
                return ExitCodes.BAD_INPUT;
            }
            try {
                List<Path> written = ArrayExport.write(dir, out != null ? out : dir.resolve("arrays"));
                written.forEach(f -> System.out.println(f));
                return ExitCodes.OK;
            } catch (IOException e) {
                System.err.println("lab: " + e.getMessage());
                return ExitCodes.FAILED;
            }
        }
        if (!Files.isDirectory(dir)) {
            System.err.println("lab: " + dir + ": no such directory");
            return ExitCodes.BAD_INPUT;
        }
        RunTable table = new RunTable();
        for (Path run : RunStatus.runsUnder(dir)) {
            try {
                table.add(run, perEpoch);
            } catch (IOException | RuntimeException e) {  // one unreadable run does not stop the export of the others
                System.err.println("lab: skipped " + run.getFileName() + ": " + e.getMessage());
            }
        }
        if (out == null) {
            System.out.print(table.csv());
        } else {
            Files.writeString(out, table.csv(), StandardCharsets.UTF_8);
            System.err.println("lab: " + table.size() + " rows to " + out);
        }
        return ExitCodes.OK;
    }
}
