package org.manifoldlab.cli.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.manifoldlab.cli.ExitCodes;
import org.manifoldlab.report.FindingsTables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lab tables [--check] PAGE}. Exit codes: 0 written (or, with --check, up to date), 1 stale, 2 bad input. */
@Command(name = "tables", mixinStandardHelpOptions = true,
        description = {"Redraw the tables of a findings page (docs/FINDINGS.md) from the summary.json files its block "
                + "<!-- tables from: NAME=PATH ... --> names (paths relative to --root), in place.",
                "With --check nothing is written: exit 1 when the page's tables differ from what the files give."})
public final class TablesCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PAGE", description = "the markdown page, e.g. docs/FINDINGS.md")
    Path page;

    @Option(names = "--root", paramLabel = "DIR", description = "the directory the block's paths start from (default: the current one)")
    Path root = Path.of("");

    @Option(names = "--check", description = "only compare; exit 1 when the tables are stale")
    boolean check;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(page)) {
            System.err.println("lab tables: " + page + ": no such file");
            return ExitCodes.BAD_INPUT;
        }
        try {
            Path base = root.toAbsolutePath();
            if (check) {
                boolean stale = FindingsTables.stale(FindingsTables.read(page, base));
                System.out.println(page + (stale ? ": the tables differ from their summary.json files (lab tables " + page + " redraws them)"
                        : ": the tables equal what their summary.json files give"));
                return stale ? ExitCodes.FAILED : ExitCodes.OK;
            }
            System.out.println(page + (FindingsTables.write(page, base) ? ": tables redrawn" : ": tables already up to date"));
            return ExitCodes.OK;
        } catch (IOException e) {
            System.err.println("lab tables: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
    }
}
