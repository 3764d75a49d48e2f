package org.manifoldlab.cli.analyze;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.manifoldlab.cli.ExitCodes;
import org.manifoldlab.core.manifold.IntrinsicDimension;
import org.manifoldlab.core.spectrum.CovarianceAccumulator;
import org.manifoldlab.core.spectrum.Interval;
import org.manifoldlab.core.spectrum.LayerSpectrum;
import org.manifoldlab.core.spectrum.PowerLawFit;
import org.manifoldlab.core.spectrum.ProbeRows;
import org.manifoldlab.core.spectrum.SpectrumJackknife;
import org.manifoldlab.core.spectrum.SpectrumSettings;
import org.manifoldlab.rundir.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lab analyze FILE [--json]}: the spectrum analysis of a run's layers (alpha with its
 * jackknife interval, window, R^2, rank, dead units, participation ratio, intrinsic dimension,
 * smoothness margin) on an activation matrix from anywhere: .npy (float32 or float64, C or
 * Fortran order) or CSV, one sample a row.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Spectrum, alpha [95%% interval], window, R^2, rank, dead units, participation ratio and intrinsic dimension of an "
                + "activation matrix (.npy float32/float64, or CSV; rows = samples, columns = units).")
public final class AnalyzeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "a .npy or .csv matrix [samples, units]")
    Path file;

    @Option(names = "--json", description = "one JSON object, for programs")
    boolean json;

    @Option(names = "--fit-ranks", split = ",", paramLabel = "LO,HI", description = "a fixed rank window (default: 10 .. rank/2)")
    int[] fitRanks;

    @Option(names = "--method", defaultValue = "ols", description = "ols or weighted (1/n weights) (default: ${DEFAULT-VALUE})")
    String method;

    @Option(names = "--blocks", defaultValue = "20", description = "jackknife blocks of rows (default: ${DEFAULT-VALUE})")
    int blocks;

    @Option(names = "--manifold-dim", paramLabel = "D", description = "d of the input manifold, for the margin alpha - (1 + 2/d)")
    Double manifoldDim;

    @Option(names = "--inputs", paramLabel = "FILE", description = "the inputs the rows came from (.npy or .csv): d of the margin is their TwoNN")
    Path inputs;

    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public Integer call() throws IOException {
        if (!method.equals("ols") && !method.equals("weighted")) {
            err.println("lab: --method must be ols or weighted, got " + method);
            return ExitCodes.BAD_INPUT;
        }
        if (fitRanks != null && (fitRanks.length != 2 || fitRanks[0] < 1 || fitRanks[0] >= fitRanks[1])) {
            err.println("lab: --fit-ranks must be LO,HI with 1 <= LO < HI");
            return ExitCodes.BAD_INPUT;
        }
        if (blocks < 2 || (manifoldDim != null && !(manifoldDim > 0))) {
            err.println("lab: --blocks must be at least 2 and --manifold-dim positive");
            return ExitCodes.BAD_INPUT;
        }
        ProbeRows rows;
        IntrinsicDimension input = null;
        Path reading = file;
        try {
            rows = read(file);
            if (inputs != null) {
                reading = inputs;
                ProbeRows x = read(inputs);
                input = IntrinsicDimension.of(x, Math.min(blocks, x.rows()));
            }
        } catch (MatrixFormatException | IllegalArgumentException bad) {
            err.println("lab: " + reading + ": " + bad.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        try {
            Map<String, Object> result = analyze(rows, input);
            print(result);
            return ExitCodes.OK;
        } catch (IllegalArgumentException unfittable) {
            err.println("lab: " + file + ": " + unfittable.getMessage());
            return ExitCodes.BAD_INPUT;
        }
    }

    private ProbeRows read(Path f) throws IOException, MatrixFormatException {
        if (!Files.isRegularFile(f)) {
            throw new MatrixFormatException("no such file");
        }
        String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            return NpyReader.read(f);
        }
        if (name.endsWith(".csv")) {
            return CsvMatrix.read(f);
        }
        throw new MatrixFormatException("not a .npy or .csv file");
    }

    /** The analysis of rows [samples, units]: fit, jackknife, intrinsic dimension, margin. */
    Map<String, Object> analyze(ProbeRows rows, IntrinsicDimension input) {
        CovarianceAccumulator acc = new CovarianceAccumulator(rows.width()).accumulateRows(rows.data(), 0, rows.rows());
        SpectrumSettings settings = new SpectrumSettings(fitRanks == null ? null : new PowerLawFit.Window(
                fitRanks[0], fitRanks[1]), method.equals("weighted"), manifoldDim == null ? Double.NaN : manifoldDim);
        LayerSpectrum s = LayerSpectrum.analyze(1, 0, 0, acc.spectrum(), acc.deadUnits(), settings);
        int g = Math.min(blocks, rows.rows());
        s = s.withJackknife(SpectrumJackknife.of(rows, acc, s.fit(), s.participationRatio().estimate(), g));
        if (input != null) {
            s = s.withManifoldDim(input.twoNn().d(), "twonn");
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("file", file.toString());
        r.put("samples", rows.rows());
        r.put("units", rows.width());
        r.put("rank", s.rank());
        r.put("deadUnits", s.deadUnits());
        r.put("method", s.fit().weighted() ? "weighted" : "ols");
        r.put("window", List.of(s.fit().used().lo(), s.fit().used().hi()));
        r.put("windowRule", s.windowRule());
        r.put("alpha", interval(s.alpha()));
        r.put("r2", s.r2());
        r.put("participationRatio", interval(s.participationRatio()));
        r.put("jackknifeBlocks", s.blocks());
        try {
            IntrinsicDimension own = IntrinsicDimension.of(rows, g);
            r.put("dTwoNn", interval(own.twoNn().d()));
            r.put("dLevinaBickel", interval(own.levinaBickel().d()));
        } catch (IllegalArgumentException tooFewPoints) {
            r.put("dFailure", tooFewPoints.getMessage());
        }
        if (input != null) {
            r.put("inputDTwoNn", interval(input.twoNn().d()));
            r.put("inputDLevinaBickel", interval(input.levinaBickel().d()));
        }
        r.put("manifoldDim", interval(s.manifoldDim()));
        r.put("dimSource", s.dimSource());
        r.put("smoothnessMargin", interval(s.smoothnessMargin()));
        return r;
    }

    private static Map<String, Object> interval(Interval i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("estimate", finite(i.estimate()));
        m.put("lo", finite(i.lo()));
        m.put("hi", finite(i.hi()));
        return m;
    }

    private static Object finite(double v) {
        return Double.isNaN(v) ? null : Double.isInfinite(v) ? (v > 0 ? "inf" : "-inf") : v;
    }

    private void print(Map<String, Object> r) throws IOException {
        if (json) {
            out.println(RunDirectory.JSON.writeValueAsString(r));
            return;
        }
        out.printf("%s: %d samples x %d units%n", r.get("file"), (Integer) r.get("samples"), (Integer) r.get("units"));
        row("rank", String.valueOf(r.get("rank")));
        row("dead units", String.valueOf(r.get("deadUnits")));
        row("window", r.get("window") + " (" + r.get("windowRule") + ")" + ", " + r.get("method"));
        double r2 = (Double) r.get("r2");
        row("alpha [95%]", text(r.get("alpha")));
        row("R^2", String.format(Locale.ROOT, "%.4f%s", r2, r2 < 0.9 ? "   (below 0.9: the window is off the power law)" : ""));
        row("participation ratio", text(r.get("participationRatio")));
        row("d (TwoNN)", text(r.get("dTwoNn")));
        row("d (Levina-Bickel)", text(r.get("dLevinaBickel")));
        if (r.containsKey("inputDTwoNn")) {
            row("input d (TwoNN)", text(r.get("inputDTwoNn")));
        }
        row("margin alpha-(1+2/d)", r.get("dimSource").equals("none") ? "n/a (give --manifold-dim or --inputs)"
                : text(r.get("smoothnessMargin")) + " (d " + text(r.get("manifoldDim")) + ", " + r.get("dimSource") + ")");
    }

    private void row(String name, String value) {
        out.printf("  %-22s %s%n", name, value);
    }

    @SuppressWarnings("unchecked")
    private static String text(Object interval) {
        if (!(interval instanceof Map<?, ?> m)) {
            return "n/a";
        }
        Object e = m.get("estimate");
        Object lo = m.get("lo");
        Object hi = m.get("hi");
        String est = e instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : String.valueOf(e);
        return lo == null || hi == null || lo.equals(hi) ? est
                : String.format(Locale.ROOT, "%s [%.4f, %.4f]", est, ((Number) lo).doubleValue(), ((Number) hi).doubleValue());
    }
}
