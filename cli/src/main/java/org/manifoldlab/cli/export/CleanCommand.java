package org.manifoldlab.cli.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.manifoldlab.actors.run.CheckpointStore;
import org.manifoldlab.cli.ExitCodes;
import org.manifoldlab.cli.status.RunStatus;
import org.manifoldlab.rundir.Manifest;
import org.manifoldlab.rundir.RunDirectory;
import org.manifoldlab.rundir.RunLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lab clean DIR}: removes the checkpoints of completed runs and prints what it frees. */
@Command(name = "clean", mixinStandardHelpOptions = true,
        description = {"Remove the checkpoints of completed runs under a directory, printing what each frees.",
                "Runs that are running, failed or interrupted keep theirs: they may still be resumed."})
public final class CleanCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "a runs directory, a sweep, or one run")
    Path dir;

    @Option(names = "--keep-newest", description = "keep each run's newest checkpoint (its final weights, for lab export --arrays)")
    boolean keepNewest;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(dir)) {
            System.err.println("lab: " + dir + ": no such directory");
            return ExitCodes.BAD_INPUT;
        }
        long total = 0;
        for (Path path : RunStatus.runsUnder(dir)) {
            RunDirectory run = new RunDirectory(path);
            try {
                if (!Manifest.COMPLETED.equals(run.readManifest().status()) || RunLock.isHeld(path)) {
                    continue;
                }
                long freed = new CheckpointStore(run.checkpoints(), 1).keepNewest(keepNewest ? 1 : 0);
                if (freed > 0) {
                    System.out.printf(Locale.ROOT, "%-40s %8.1f MB%n", run.id(), freed / 1048576.0);
                }
                total += freed;
            } catch (IOException e) {
                System.err.println("lab: skipped " + path.getFileName() + ": " + e.getMessage());
            }
        }
        System.out.printf(Locale.ROOT, "freed %.1f MB%n", total / 1048576.0);
        return ExitCodes.OK;
    }
}
