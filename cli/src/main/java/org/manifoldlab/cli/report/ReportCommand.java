package org.manifoldlab.cli.report;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.manifoldlab.cli.ExitCodes;
import org.manifoldlab.report.Findings;
import org.manifoldlab.report.Report;
import org.manifoldlab.report.ReportException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lab report RUN_DIR|SWEEP_DIR [--out DIR]}. Exit codes: 0 written, 2 bad input. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Turn a run directory, or a sweep (a directory of run directories), into plots (PNG and SVG), "
                + "index.html and summary.json, and test the study's three findings on its layers."})
public final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_DIR|SWEEP_DIR", description = "a run directory (holds spec.json) or a sweep directory")
    Path input;

    @Option(names = "--out", paramLabel = "DIR", description = "where the report goes (default: RUN_DIR/report or SWEEP_DIR/report)")
    Path out;

    @Option(names = "--epoch", description = "compare the layers at this epoch (default: the last epoch with spectra and robustness)")
    Integer epoch;

    @Option(names = "--tolerance", description = "accuracy differences up to this are ties, not order violations (default: 0.01)")
    Double tolerance;

    @Option(names = "--fit-ranks", split = ",", paramLabel = "LO,HI",
            description = "fit alpha again from the stored spectra over ranks LO..HI (default: the runs' own fits)")
    int[] fitRanks;

    @Option(names = "--pool", description = "pool a sweep whose runs differ in settings other than the seed; each seed's runs count as one "
            + "independent unit (without it such a sweep is refused)")
    boolean pool;

    @Override
    public Integer call() throws Exception {
        if (fitRanks != null && (fitRanks.length != 2 || fitRanks[0] < 1 || fitRanks[0] >= fitRanks[1])) {
            System.err.println("lab report: --fit-ranks: expected LO,HI with 1 <= LO < HI");
            return ExitCodes.BAD_INPUT;
        }
        if (tolerance != null && !(tolerance >= 0 && tolerance < 1)) {
            System.err.println("lab report: --tolerance: expected a number in [0, 1), got " + tolerance);
            return ExitCodes.BAD_INPUT;
        }
        Path target = out != null ? out : input.resolve("report");
        try {
            Report.Result result = Report.write(input, target, epoch, tolerance, fitRanks, pool);
            System.out.printf("report: %s (%d figures, %d member%s)%n", result.index(), result.figures(), result.members(),
                    result.members() == 1 ? "" : "s");
            for (Findings.Finding f : result.findings()) {
                System.out.printf("finding %d %-13s %s%n", f.number(), f.verdict().word(), f.title());
            }
            System.out.println("summary: " + result.summary());
            return ExitCodes.OK;
        } catch (org.manifoldlab.rundir.FormatException e) {
            System.err.println("lab report: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
    }
}
