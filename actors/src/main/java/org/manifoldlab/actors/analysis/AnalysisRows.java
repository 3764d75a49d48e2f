package org.manifoldlab.actors.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.manifoldlab.actors.run.RunRecorder;
import org.manifoldlab.core.attack.RobustnessRecord;
import org.manifoldlab.core.nn.LayerMetrics;
import org.manifoldlab.core.probe.LinearProbes;
import org.manifoldlab.core.spectrum.LayerSpectrum;
import org.manifoldlab.core.spectrum.PowerLawFit;
import org.manifoldlab.core.spectrum.Spectrum;
import org.manifoldlab.core.spectrum.SpectrumSettings;
import org.manifoldlab.rundir.Csv;
import org.manifoldlab.rundir.RunDirectory;

/** The rows and the event one analysis point writes, gathered in layer order. */
final class AnalysisRows {

    private final int epoch;
    private final SpectrumSettings settings;
    private final List<Csv.TrainRow> test = new ArrayList<>();
    private final List<Csv.SpectrumRow> eigenvalues = new ArrayList<>();
    private final List<Csv.SummaryRow> summary = new ArrayList<>();
    private final List<Map<String, Object>> eventLayers = new ArrayList<>();
    private final List<Csv.RobustnessRow> robustness = new ArrayList<>();
    private final List<Map<String, Object>> attackResults = new ArrayList<>();
    private final List<Csv.ProbeRow> probes = new ArrayList<>();

    AnalysisRows(int epoch, SpectrumSettings settings) {
        this.epoch = epoch;
        this.settings = settings;
    }

    void test(LayerMetrics m) {
        test.add(new Csv.TrainRow(epoch, m.layer(), "test", m.loss(), m.accuracy(), m.samples()));
    }

    void spectrum(Analyzer.LayerResult r) {
        double[] lambda = r.eigenvalues();
        for (int n = 1; n <= lambda.length; n++) {
            eigenvalues.add(new Csv.SpectrumRow(epoch, r.layer(), n, lambda[n - 1]));
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("layer", r.layer());
        LayerSpectrum s = r.spectrum();
        if (s != null) {
            summary.add(summaryRow(s));
            e.put("alpha", s.alphaValue());
            e.put("r2", s.r2());
            e.put("participationRatio", s.participationRatio().estimate());
            e.put("rank", s.rank());
            if (s.alpha().hasInterval()) {
                e.put("alphaInterval", List.of(s.alpha().lo(), s.alpha().hi()));
            }
        } else {
            Spectrum spectrum = new Spectrum(lambda, r.samples());
            double nan = Double.NaN;
            int lo = settings.window() == null ? PowerLawFit.AUTO_LO : settings.window().lo();
            int hi = settings.window() == null ? PowerLawFit.autoWindow(spectrum).hi() : settings.window().hi();
            summary.add(summaryRow(List.of(epoch, r.layer(), nan, nan, lo, hi, 0, spectrum.participationRatio(),
                    spectrum.componentsToExplain(0.90), spectrum.componentsToExplain(0.95), nan, r.samples(), settings.method(),
                    settings.windowRule(), spectrum.rank(), r.deadUnits(), nan, nan, nan, nan, 0, nan, nan, nan, "none", nan, nan, nan, nan,
                    nan, nan, nan, nan)));
            e.put("fitFailure", r.fitFailure());
        }
        eventLayers.add(e);
    }

    /** Values in the order of {@link RunDirectory#SUMMARY_COLUMNS}, as a row. */
    private static Csv.SummaryRow summaryRow(List<Object> values) {
        Map<String, Object> byColumn = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            byColumn.put(RunDirectory.SUMMARY_COLUMNS.get(i), values.get(i));
        }
        return new Csv.SummaryRow(byColumn);
    }

    /** One row of spectrum-summary.csv, in the order of {@link RunDirectory#SUMMARY_COLUMNS}. */
    private Csv.SummaryRow summaryRow(LayerSpectrum s) {
        PowerLawFit.Result fit = s.fit();
        List<Object> row = new ArrayList<>(List.of(epoch, s.layer(), fit.alpha(), fit.r2(), fit.used().lo(), fit.used().hi(), fit.points(),
                s.participationRatio().estimate(), s.n90(), s.n95(), s.smoothnessMargin().estimate(), s.samples(),
                fit.weighted() ? "weighted" : "ols", s.windowRule(), s.rank(), s.deadUnits()));
        row.addAll(List.of(s.alpha().lo(), s.alpha().hi(), s.participationRatio().lo(), s.participationRatio().hi(), s.blocks(),
                s.manifoldDim().estimate(), s.manifoldDim().lo(), s.manifoldDim().hi(), s.dimSource(),
                s.smoothnessMargin().lo(), s.smoothnessMargin().hi()));
        row.addAll(List.of(s.layerTwoNn().estimate(), s.layerTwoNn().lo(), s.layerTwoNn().hi(),
                s.layerLevinaBickel().estimate(), s.layerLevinaBickel().lo(), s.layerLevinaBickel().hi()));
        return summaryRow(row);
    }

    /** @param sanity "ok" or the failed checks ({@link org.manifoldlab.core.attack.AttackSanity#mark}) */
    void robustness(RobustnessRecord r, String sanity) {
        robustness.add(new Csv.RobustnessRow(epoch, r.layer(), r.attackName(), r.strength(), r.accuracy(), r.robustAccuracy(), r.linf(),
                r.l2(), r.samples(), r.target(), sanity));
        attackResults.add(RunRecorder.fields("layer", r.layer(), "attack", r.attackName(), "strength", r.strength(),
                "accuracy", r.accuracy(), "robustAccuracy", r.robustAccuracy()));
    }

    void probe(LinearProbes.Result p) {
        probes.add(new Csv.ProbeRow(epoch, p.layer(), p.accuracy(), p.loss(), p.trainAccuracy(), p.samples(), p.epochs(), p.seed()));
    }

    /** @param round what the analysis-completed event says of the round as a whole (seconds, intervals, the input's d) */
    void writeTo(RunDirectory run, ActorRef<RunRecorder.Command> recorder, String actor, Map<String, Object> round) {
        recorder.tell(new RunRecorder.Rows(run.trainCsv(), RunDirectory.TRAIN_COLUMNS, test));
        recorder.tell(new RunRecorder.Rows(run.spectrumCsv(), RunDirectory.SPECTRUM_COLUMNS, eigenvalues));
        recorder.tell(new RunRecorder.Rows(run.summaryCsv(), RunDirectory.SUMMARY_COLUMNS, summary));
        if (!robustness.isEmpty()) {
            recorder.tell(new RunRecorder.Rows(run.robustnessCsv(), RunDirectory.ROBUSTNESS_COLUMNS, robustness));
            recorder.tell(new RunRecorder.Event("attacks-completed", actor, RunRecorder.fields("epoch", epoch, "results", attackResults)));
        }
        if (!probes.isEmpty()) {
            recorder.tell(new RunRecorder.Rows(run.probesCsv(), RunDirectory.PROBE_COLUMNS, probes));
        }
        recorder.tell(new RunRecorder.Event("analysis-completed", actor, withRound(RunRecorder.fields("epoch", epoch, "layers", eventLayers), round)));
    }

    private static Map<String, Object> withRound(Map<String, Object> fields, Map<String, Object> round) {
        Map<String, Object> out = new LinkedHashMap<>(fields);
        out.putAll(round);
        return out;
    }
}
