package org.manifoldlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.manifoldlab.core.spectrum.PowerLawFit;
import org.manifoldlab.core.spectrum.Smoothness;
import org.manifoldlab.core.spectrum.Spectrum;
import org.manifoldlab.rundir.Columns;
import org.manifoldlab.rundir.CsvTable;
import org.manifoldlab.rundir.RunDirectory;

/**
 * Everything one run directory measured, read from its CSV files into maps keyed by epoch and
 * layer (sorted). When a resumed run wrote a row twice, the later row wins.
 */
final class RunData {

    /** One row of spectrum-summary.csv (columns a run before issue 17 lacks read as NaN). */
    record Fit(double alpha, double r2, double fitLo, double fitHi, double points, double participationRatio,
               double n90, double n95, double smoothnessMargin, double samples, Extra extra) {
        Fit(double alpha, double r2, double fitLo, double fitHi, double points, double participationRatio,
            double n90, double n95, double smoothnessMargin, double samples) {
            this(alpha, r2, fitLo, fitHi, points, participationRatio, n90, n95, smoothnessMargin, samples, Extra.NONE);
        }

        /** Below this R^2 the report warns that the window is off the power law. */
        static final double R2_WARNING = 0.9;

        boolean poorFit() {
            return r2 < R2_WARNING;
        }
    }

    /** The interval and rank columns of spectrum-summary.csv. */
    record Extra(double alphaLo, double alphaHi, double rank, double deadUnits, double manifoldDim, double marginLo, double marginHi,
                 double layerD, String dimSource) {
        static final Extra NONE = new Extra(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, "");
    }

    /**
     * One row of robustness.csv: accuracy on x' (NaN in files written before the column split,
     * whose accuracy column held the "right clean and perturbed" rule) and robust accuracy.
     */
    record Robust(double accuracy, double robustAccuracy, double linf, double l2, double samples) {

        /**
         * The accuracy the study's claims use: plain accuracy under Gaussian noise, robust
         * accuracy under FGSM and PGD (RobustBench's definition for adversarial attacks); the
         * robust one where an old file has no plain accuracy.
         */
        double forClaims(String attack) {
            return GAUSSIAN.equals(attack) && !Double.isNaN(accuracy) ? accuracy : robustAccuracy;
        }
    }

    static final String GAUSSIAN = "gaussian";
    static final String FGSM = "fgsm";
    static final String PGD = "pgd";

    final RunDirectory run;
    final JsonNode spec;
    final long seed;
    final String status;
    /** epoch -> layer -> fit */
    final NavigableMap<Integer, NavigableMap<Integer, Fit>> fits = new TreeMap<>();
    /** epoch -> layer -> rank -> eigenvalue */
    final NavigableMap<Integer, NavigableMap<Integer, NavigableMap<Integer, Double>>> spectra = new TreeMap<>();
    /** split -> epoch -> layer -> accuracy (and loss below) */
    final Map<String, NavigableMap<Integer, NavigableMap<Integer, Double>>> accuracy = new TreeMap<>();
    final Map<String, NavigableMap<Integer, NavigableMap<Integer, Double>>> loss = new TreeMap<>();
    /** split -> epoch -> layer -> samples (NaN when the file has no samples column) */
    final Map<String, NavigableMap<Integer, NavigableMap<Integer, Double>>> samples = new TreeMap<>();
    /** The final weights' fingerprint from manifest.json ("" when unknown): two runs with one fingerprint are one network. */
    final String fingerprint;
    /** epoch -> attack -> layer -> strength -> result */
    final NavigableMap<Integer, Map<String, NavigableMap<Integer, NavigableMap<Double, Robust>>>> robustness = new TreeMap<>();
    private boolean plainAccuracyColumn = true;
    /** epoch -> layer -> test accuracy of the layer's linear probe (metrics/probes.csv; empty when not enabled) */
    final NavigableMap<Integer, NavigableMap<Integer, Double>> probes = new TreeMap<>();
    /** Rows of robustness.csv whose sanity column is not "ok", described for the page. */
    final List<String> sanityFlags = new ArrayList<>();

    private RunData(RunDirectory run, JsonNode spec, String status, String fingerprint) {
        this.run = run;
        this.spec = spec;
        this.seed = spec.path("seed").asLong(0);
        this.status = status;
        this.fingerprint = fingerprint;
    }

    static boolean isRun(Path dir) {
        return Files.isRegularFile(dir.resolve("spec.json"));
    }

    static RunData load(Path dir) throws IOException {
        RunDirectory run = new RunDirectory(dir);
        JsonNode spec;
        try {
            spec = RunDirectory.JSON.readTree(run.spec().toFile());
        } catch (IOException e) {
            throw new ReportException(run.spec() + ": not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        String status = "unknown";
        String fingerprint = "";
        if (Files.isRegularFile(run.manifest())) {
            try {
                JsonNode manifest = RunDirectory.JSON.readTree(run.manifest().toFile());
                status = manifest.path("status").asText("unknown");
                fingerprint = manifest.path("fingerprint").asText("");
            } catch (IOException e) {
                throw new ReportException(run.manifest() + ": not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        RunData data = new RunData(run, spec, status, fingerprint);
        data.readTrain(CsvTable.read(run.trainCsv(), List.of(Columns.EPOCH, Columns.LAYER, Columns.SPLIT, Columns.LOSS, Columns.ACCURACY)));
        data.readSpectrum(CsvTable.read(run.spectrumCsv(), List.of(Columns.EPOCH, Columns.LAYER, Columns.RANK, Columns.EIGENVALUE)));
        data.readSummary(CsvTable.read(run.summaryCsv(), List.of(Columns.EPOCH, Columns.LAYER, Columns.ALPHA, Columns.R2, Columns.FIT_LO, Columns.FIT_HI,
                Columns.PARTICIPATION_RATIO)));
        data.readRobustness(CsvTable.read(run.robustnessCsv(), List.of(Columns.EPOCH, Columns.LAYER, Columns.ATTACK, Columns.STRENGTH, Columns.ACCURACY)));
        CsvTable probes = CsvTable.read(run.probesCsv(), List.of(Columns.EPOCH, Columns.LAYER, Columns.ACCURACY));
        for (int i = 0; i < probes.size(); i++) {
            data.probes.computeIfAbsent(probes.integer(i, Columns.EPOCH), k -> new TreeMap<>()).put(probes.integer(i, Columns.LAYER), probes.number(i, Columns.ACCURACY));
        }
        return data;
    }

    String id() {
        return run.id();
    }

    /** Linear-probe test accuracy of a layer at the last epoch that has probes (NaN when none). */
    double probeAccuracy(int layer) {
        return probes.isEmpty() ? Double.NaN : probes.lastEntry().getValue().getOrDefault(layer, Double.NaN);
    }

    NavigableSet<Integer> layers() {
        NavigableSet<Integer> layers = new TreeSet<>();
        fits.values().forEach(m -> layers.addAll(m.keySet()));
        spectra.values().forEach(m -> layers.addAll(m.keySet()));
        accuracy.values().forEach(e -> e.values().forEach(m -> layers.addAll(m.keySet())));
        robustness.values().forEach(a -> a.values().forEach(m -> layers.addAll(m.keySet())));
        return layers;
    }

    /**
     * The epoch whose layers the findings compare: the requested one, else the last epoch with
     * both a spectrum fit and robustness rows, else the last with either (null when neither exists).
     */
    Integer analysisEpoch(Integer requested) {
        if (requested != null) {
            if (!fits.containsKey(requested) && !robustness.containsKey(requested)) {
                throw new ReportException(id() + ": no spectrum fit or robustness rows for epoch " + requested
                        + " (analysed epochs: " + new TreeSet<>(analysedEpochs()) + ")");
            }
            return requested;
        }
        NavigableSet<Integer> both = new TreeSet<>(fits.keySet());
        both.retainAll(robustness.keySet());
        if (!both.isEmpty()) {
            return both.last();
        }
        NavigableSet<Integer> any = analysedEpochs();
        return any.isEmpty() ? null : any.last();
    }

    private NavigableSet<Integer> analysedEpochs() {
        NavigableSet<Integer> any = new TreeSet<>(fits.keySet());
        any.addAll(robustness.keySet());
        return any;
    }

    /**
     * layer -> strength -> the accuracy the claims use ({@link Robust#forClaims}) of one attack at
     * one epoch (empty when not measured).
     */
    NavigableMap<Integer, NavigableMap<Double, Double>> attackAccuracy(int epoch, String attack) {
        NavigableMap<Integer, NavigableMap<Double, Double>> out = new TreeMap<>();
        results(epoch, attack).forEach((layer, strengths) -> {
            NavigableMap<Double, Double> acc = new TreeMap<>();
            strengths.forEach((s, r) -> acc.put(s, r.forClaims(attack)));
            out.put(layer, acc);
        });
        return out;
    }

    /** layer -> strength -> row of one attack at one epoch (empty when not measured). */
    NavigableMap<Integer, NavigableMap<Double, Robust>> results(int epoch, String attack) {
        return robustness.getOrDefault(epoch, Map.of()).getOrDefault(attack, new TreeMap<>());
    }

    /** Whether robustness.csv has the plain accuracy column (files before the split held only the robust rule). */
    boolean hasPlainAccuracy() {
        return plainAccuracyColumn;
    }

    /** Attacks measured at an epoch, in the order gaussian, fgsm, pgd, then any other. */
    List<String> attacks(int epoch) {
        List<String> out = new ArrayList<>();
        var present = robustness.getOrDefault(epoch, Map.of()).keySet();
        for (String a : List.of(GAUSSIAN, FGSM, PGD)) {
            if (present.contains(a)) {
                out.add(a);
            }
        }
        present.stream().filter(a -> !out.contains(a)).sorted().forEach(out::add);
        return out;
    }

    private void readTrain(CsvTable t) {
        for (int i = 0; i < t.size(); i++) {
            String split = t.text(i, Columns.SPLIT);
            int epoch = t.integer(i, Columns.EPOCH);
            int layer = t.integer(i, Columns.LAYER);
            accuracy.computeIfAbsent(split, k -> new TreeMap<>()).computeIfAbsent(epoch, k -> new TreeMap<>())
                    .put(layer, t.number(i, Columns.ACCURACY));
            loss.computeIfAbsent(split, k -> new TreeMap<>()).computeIfAbsent(epoch, k -> new TreeMap<>())
                    .put(layer, t.number(i, Columns.LOSS));
            samples.computeIfAbsent(split, k -> new TreeMap<>()).computeIfAbsent(epoch, k -> new TreeMap<>())
                    .put(layer, optional(t, i, Columns.SAMPLES));
        }
    }

    /**
     * Fits alpha again from the stored eigenvalues over another rank window, with core's own fit
     * (the spectra are all in spectrum.csv, so no run has to be repeated to try a window).
     */
    void refit(int lo, int hi) {
        JsonNode d = spec.path("analysis").path("manifoldDim");
        double given = d.isNumber() ? d.doubleValue() : d.isTextual() ? specDim(d.textValue()) : Double.POSITIVE_INFINITY;
        spectra.forEach((epoch, layers) -> layers.forEach((layer, byRank) -> {
            double[] eigenvalues = byRank.values().stream().mapToDouble(Double::doubleValue).toArray();
            Fit old = fits.getOrDefault(epoch, new TreeMap<>()).get(layer);
            // manifoldDim auto: the d the run estimated and recorded, if any
            double manifoldDim = Double.isNaN(given) && old != null ? old.extra().manifoldDim() : given;
            long samples = old == null || Double.isNaN(old.samples()) ? 0 : (long) old.samples();
            Spectrum spectrum = new Spectrum(eigenvalues, samples);
            Fit fit;
            try {
                PowerLawFit.Result r = PowerLawFit.fit(spectrum, new PowerLawFit.Window(lo, hi), false);
                fit = new Fit(r.alpha(), r.r2(), r.used().lo(), r.used().hi(), r.points(), spectrum.participationRatio(),
                        spectrum.componentsToExplain(0.90), spectrum.componentsToExplain(0.95),
                        Double.isNaN(manifoldDim) ? Double.NaN : Smoothness.margin(r.alpha(), manifoldDim), samples,
                        new Extra(Double.NaN, Double.NaN, spectrum.rank(), old == null ? Double.NaN : old.extra().deadUnits(), manifoldDim,
                                Double.NaN, Double.NaN, old == null ? Double.NaN : old.extra().layerD(),
                                Double.isNaN(given) && old != null ? old.extra().dimSource() : "spec"));
            } catch (IllegalArgumentException unfittable) {
                fit = new Fit(Double.NaN, Double.NaN, lo, hi, 0, spectrum.participationRatio(), spectrum.componentsToExplain(0.90),
                        spectrum.componentsToExplain(0.95), Double.NaN, samples);
            }
            fits.computeIfAbsent(epoch, k -> new TreeMap<>()).put(layer, fit);
        }));
    }

    private void readSpectrum(CsvTable t) {
        for (int i = 0; i < t.size(); i++) {
            spectra.computeIfAbsent(t.integer(i, Columns.EPOCH), k -> new TreeMap<>()).computeIfAbsent(t.integer(i, Columns.LAYER), k -> new TreeMap<>())
                    .put(t.integer(i, Columns.RANK), t.number(i, Columns.EIGENVALUE));
        }
    }

    private void readSummary(CsvTable t) {
        for (int i = 0; i < t.size(); i++) {
            Fit fit = new Fit(t.number(i, Columns.ALPHA), t.number(i, Columns.R2), t.number(i, Columns.FIT_LO), t.number(i, Columns.FIT_HI),
                    optional(t, i, Columns.POINTS), t.number(i, Columns.PARTICIPATION_RATIO), optional(t, i, Columns.N90), optional(t, i, Columns.N95),
                    optional(t, i, Columns.SMOOTHNESS_MARGIN), optional(t, i, Columns.SAMPLES),
                    new Extra(optional(t, i, Columns.ALPHA_LO), optional(t, i, Columns.ALPHA_HI), optional(t, i, Columns.RANK), optional(t, i, Columns.DEAD_UNITS),
                            optional(t, i, Columns.MANIFOLD_DIM), optional(t, i, Columns.MARGIN_LO), optional(t, i, Columns.MARGIN_HI),
                            optional(t, i, Columns.LAYER_D_TWONN), t.has(Columns.DIM_SOURCE) ? t.text(i, Columns.DIM_SOURCE) : ""));
            fits.computeIfAbsent(t.integer(i, Columns.EPOCH), k -> new TreeMap<>()).put(t.integer(i, Columns.LAYER), fit);
        }
    }

    private void readRobustness(CsvTable t) {
        // Before the split, "accuracy" counted right-both-clean-and-perturbed: that is robust accuracy.
        plainAccuracyColumn = t.has(Columns.ROBUST_ACCURACY) || t.size() == 0;
        for (int i = 0; i < t.size(); i++) {
            double plain = plainAccuracyColumn ? t.number(i, Columns.ACCURACY) : Double.NaN;
            double robust = plainAccuracyColumn ? t.number(i, Columns.ROBUST_ACCURACY) : t.number(i, Columns.ACCURACY);
            Robust r = new Robust(plain, robust, optional(t, i, Columns.LINF), optional(t, i, Columns.L2), optional(t, i, Columns.SAMPLES));
            if (t.has(Columns.SANITY) && !t.text(i, Columns.SANITY).equals("ok")) {
                sanityFlags.add(String.format(java.util.Locale.ROOT, "epoch %d layer %d %s %s: %s", t.integer(i, Columns.EPOCH),
                        t.integer(i, Columns.LAYER), t.text(i, Columns.ATTACK), Criteria.fmt(t.number(i, Columns.STRENGTH)), t.text(i, Columns.SANITY)));
            }
            robustness.computeIfAbsent(t.integer(i, Columns.EPOCH), k -> new TreeMap<>())
                    .computeIfAbsent(t.text(i, Columns.ATTACK).toLowerCase(), k -> new TreeMap<>())
                    .computeIfAbsent(t.integer(i, Columns.LAYER), k -> new TreeMap<>())
                    .put(t.number(i, Columns.STRENGTH), r);
        }
    }

    /** manifoldDim as spec.json writes it: a number, "Infinity", or "NaN" / "auto" (estimated: NaN here). */
    private static double specDim(String text) {
        return text.equalsIgnoreCase("auto") ? Double.NaN : Double.parseDouble(text);
    }

    private static double optional(CsvTable t, int row, String column) {
        return t.has(column) ? t.number(row, column) : Double.NaN;
    }
}
