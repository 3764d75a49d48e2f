package org.manifoldlab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.manifoldlab.rundir.Columns;
import org.manifoldlab.rundir.CsvTable;
import org.manifoldlab.rundir.RunDirectory;

/**
 * What a completed run found, on the console when it ends: per layer, the test accuracy, alpha,
 * and the accuracy under Gaussian noise and FGSM at one strength each (the strengths nearest
 * sigma 0.3 and eps 0.1), at the last analysed epoch; then the command that draws the report.
 */
final class RunSummary {

    private static final double SIGMA = 0.3;
    private static final double EPS = 0.1;

    private RunSummary() {
    }

    static void print(Path runDir, PrintStream out) {
        RunDirectory run = new RunDirectory(runDir);
        try {
            CsvTable train = CsvTable.read(run.trainCsv(), List.of(Columns.EPOCH, Columns.LAYER, Columns.SPLIT, Columns.ACCURACY));
            CsvTable summary = CsvTable.read(run.summaryCsv(), List.of(Columns.EPOCH, Columns.LAYER, Columns.ALPHA));
            CsvTable robust = CsvTable.read(run.robustnessCsv(), List.of(Columns.EPOCH, Columns.LAYER, Columns.ATTACK, Columns.STRENGTH, Columns.ACCURACY));
            int epoch = -1;
            for (int r = 0; r < train.size(); r++) {
                if (train.text(r, Columns.SPLIT).equals("test")) {
                    epoch = Math.max(epoch, train.integer(r, Columns.EPOCH));
                }
            }
            if (epoch < 0) {
                return;
            }
            Map<Integer, double[]> layers = new TreeMap<>();  // test acc, alpha, gaussian, fgsm
            for (int r = 0; r < train.size(); r++) {
                if (train.integer(r, Columns.EPOCH) == epoch && train.text(r, Columns.SPLIT).equals("test")) {
                    row(layers, train.integer(r, Columns.LAYER))[0] = train.number(r, Columns.ACCURACY);
                }
            }
            for (int r = 0; r < summary.size(); r++) {
                if (summary.integer(r, Columns.EPOCH) == epoch) {
                    row(layers, summary.integer(r, Columns.LAYER))[1] = summary.number(r, Columns.ALPHA);
                }
            }
            double sigma = nearest(robust, epoch, "gaussian", SIGMA);
            double eps = nearest(robust, epoch, "fgsm", EPS);
            for (int r = 0; r < robust.size(); r++) {
                if (robust.integer(r, Columns.EPOCH) != epoch) {
                    continue;
                }
                String attack = robust.text(r, Columns.ATTACK);
                double strength = robust.number(r, Columns.STRENGTH);
                if (attack.equals("gaussian") && strength == sigma) {
                    row(layers, robust.integer(r, Columns.LAYER))[2] = robust.number(r, Columns.ACCURACY);
                } else if (attack.equals("fgsm") && strength == eps) {
                    row(layers, robust.integer(r, Columns.LAYER))[3] = robust.number(r, Columns.ACCURACY);
                }
            }
            out.printf(Locale.ROOT, "%s, epoch %d:%n  %-6s %9s %7s %14s %11s%n", run.id(), epoch, "layer", "test acc", "alpha",
                    Double.isNaN(sigma) ? "gaussian" : "gaussian " + fmt(sigma), Double.isNaN(eps) ? "fgsm" : "fgsm " + fmt(eps));
            layers.forEach((layer, v) -> out.printf(Locale.ROOT, "  L%-5d %9s %7s %14s %11s%n", layer, num(v[0], 4), num(v[1], 3),
                    num(v[2], 4), num(v[3], 4)));
        } catch (IOException | RuntimeException e) {
            out.println(run.id() + ": no summary (" + e.getMessage() + ")");
        }
    }

    private static double[] row(Map<Integer, double[]> layers, int layer) {
        return layers.computeIfAbsent(layer, l -> new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN});
    }

    /** The strength of attack at epoch closest to target (NaN when the attack has no row). */
    private static double nearest(CsvTable robust, int epoch, String attack, double target) {
        double best = Double.NaN;
        for (int r = 0; r < robust.size(); r++) {
            if (robust.integer(r, Columns.EPOCH) == epoch && robust.text(r, Columns.ATTACK).equals(attack)) {
                double s = robust.number(r, Columns.STRENGTH);
                if (s > 0 && (Double.isNaN(best) || Math.abs(s - target) < Math.abs(best - target))) {
                    best = s;
                }
            }
        }
        return best;
    }

    private static String num(double v, int digits) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3g", v).replaceAll("\\.?0+$", "");
    }
}
