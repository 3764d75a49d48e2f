package org.manifoldlab.rundir;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rows of the run directory's CSV files as types: each knows its columns (declared once, in
 * {@link RunDirectory}) and its values in their order, and is read back from a {@link CsvTable}
 * by column name. {@link #line} is the one way a row becomes text: numbers in full precision,
 * NaN and infinities as NaN, inf, -inf.
 */
public final class Csv {

    private Csv() {
    }

    /** A row of one of the CSV files. */
    public interface Row {
        List<String> columns();

        List<Object> values();
    }

    /** metrics/train.csv: a layer's local loss and accuracy over an epoch, on the training split (running) or the test split. */
    public record TrainRow(int epoch, int layer, String split, double loss, double accuracy, long samples) implements Row {
        public List<String> columns() {
            return RunDirectory.TRAIN_COLUMNS;
        }

        public List<Object> values() {
            return List.of(epoch, layer, split, loss, accuracy, samples);
        }

        public static TrainRow read(CsvTable t, int r) {
            return new TrainRow(t.integer(r, Columns.EPOCH), t.integer(r, Columns.LAYER), t.text(r, Columns.SPLIT), t.number(r, Columns.LOSS),
                    t.number(r, Columns.ACCURACY), (long) t.number(r, Columns.SAMPLES));
        }
    }

    /** metrics/spectrum.csv: one eigenvalue of a layer's covariance. */
    public record SpectrumRow(int epoch, int layer, int rank, double eigenvalue) implements Row {
        public List<String> columns() {
            return RunDirectory.SPECTRUM_COLUMNS;
        }

        public List<Object> values() {
            return List.of(epoch, layer, rank, eigenvalue);
        }

        public static SpectrumRow read(CsvTable t, int r) {
            return new SpectrumRow(t.integer(r, Columns.EPOCH), t.integer(r, Columns.LAYER), t.integer(r, Columns.RANK),
                    t.number(r, Columns.EIGENVALUE));
        }
    }

    /** metrics/robustness.csv: a layer's accuracy under one attack at one strength. */
    public record RobustnessRow(int epoch, int layer, String attack, double strength, double accuracy, double robustAccuracy, double linf,
                                double l2, long samples, String target, String sanity) implements Row {
        public List<String> columns() {
            return RunDirectory.ROBUSTNESS_COLUMNS;
        }

        public List<Object> values() {
            return List.of(epoch, layer, attack, strength, accuracy, robustAccuracy, linf, l2, samples, target, sanity);
        }

        public static RobustnessRow read(CsvTable t, int r) {
            return new RobustnessRow(t.integer(r, Columns.EPOCH), t.integer(r, Columns.LAYER), t.text(r, Columns.ATTACK),
                    t.number(r, Columns.STRENGTH), t.number(r, Columns.ACCURACY), t.number(r, Columns.ROBUST_ACCURACY), t.number(r, Columns.LINF),
                    t.number(r, Columns.L2), (long) t.number(r, Columns.SAMPLES), t.text(r, Columns.TARGET), t.text(r, Columns.SANITY));
        }
    }

    /** metrics/probes.csv: a linear probe trained on a frozen layer. */
    public record ProbeRow(int epoch, int layer, double accuracy, double loss, double trainAccuracy, long samples, int probeEpochs, long seed)
            implements Row {
        public List<String> columns() {
            return RunDirectory.PROBE_COLUMNS;
        }

        public List<Object> values() {
            return List.of(epoch, layer, accuracy, loss, trainAccuracy, samples, probeEpochs, seed);
        }

        public static ProbeRow read(CsvTable t, int r) {
            return new ProbeRow(t.integer(r, Columns.EPOCH), t.integer(r, Columns.LAYER), t.number(r, Columns.ACCURACY), t.number(r, Columns.LOSS),
                    t.number(r, Columns.TRAIN_ACCURACY), (long) t.number(r, Columns.SAMPLES), t.integer(r, Columns.PROBE_EPOCHS),
                    (long) t.number(r, Columns.SEED));
        }
    }

    /**
     * metrics/spectrum-summary.csv: a layer's spectrum summarised (alpha, its window and interval,
     * rank, dimensions, margin, ...). Its many columns are held by name; every one of
     * {@link RunDirectory#SUMMARY_COLUMNS} must be present.
     */
    public record SummaryRow(Map<String, Object> byColumn) implements Row {
        public SummaryRow {
            for (String c : RunDirectory.SUMMARY_COLUMNS) {
                if (!byColumn.containsKey(c)) {
                    throw new IllegalArgumentException("a spectrum-summary row has no " + c);
                }
            }
        }

        public List<String> columns() {
            return RunDirectory.SUMMARY_COLUMNS;
        }

        public List<Object> values() {
            List<Object> out = new ArrayList<>();
            RunDirectory.SUMMARY_COLUMNS.forEach(c -> out.add(byColumn.get(c)));
            return out;
        }

        /** The row as read: every value as its text (numbers keep the text they were written with). */
        public static SummaryRow read(CsvTable t, int r) {
            Map<String, Object> values = new java.util.LinkedHashMap<>();
            RunDirectory.SUMMARY_COLUMNS.forEach(c -> values.put(c, t.text(r, c)));
            return new SummaryRow(values);
        }
    }

    /** A row as a CSV line (without its newline). */
    public static String line(List<Object> values) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(format(values.get(i)));
        }
        return line.toString();
    }

    /** Numbers in full precision and a fixed locale; NaN and infinities as NaN, inf, -inf. */
    public static String format(Object value) {
        if (value instanceof Double d) {
            if (d.isNaN()) {
                return "NaN";
            }
            if (d.isInfinite()) {
                return d > 0 ? "inf" : "-inf";
            }
            return Double.toString(d);
        }
        if (value instanceof Float f) {
            return format(f.doubleValue());
        }
        return String.valueOf(value);
    }
}
