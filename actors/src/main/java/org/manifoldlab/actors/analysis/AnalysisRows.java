package org.manifoldlab.actors.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.manifoldlab.actors.run.RunDirectory;
import org.manifoldlab.actors.run.RunRecorder;
import org.manifoldlab.core.attack.RobustnessRecord;
import org.manifoldlab.core.nn.LayerMetrics;
import org.manifoldlab.core.probe.LinearProbes;
import org.manifoldlab.core.spectrum.LayerSpectrum;
import org.manifoldlab.core.spectrum.Spectrum;
import org.manifoldlab.core.spectrum.SpectrumSettings;

/** The rows and the event one analysis point writes, gathered in layer order. */
final class AnalysisRows {

    private final int epoch;
    private final SpectrumSettings settings;
    private final List<List<Object>> test = new ArrayList<>();
    private final List<List<Object>> eigenvalues = new ArrayList<>();
    private final List<List<Object>> summary = new ArrayList<>();
    private final List<Map<String, Object>> eventLayers = new ArrayList<>();
    private final List<List<Object>> robustness = new ArrayList<>();
    private final List<Map<String, Object>> attackResults = new ArrayList<>();
    private final List<List<Object>> probes = new ArrayList<>();

    AnalysisRows(int epoch, SpectrumSettings settings) {
        this.epoch = epoch;
        this.settings = settings;
    }

    void test(LayerMetrics m) {
        test.add(List.of(epoch, m.layer(), "test", m.loss(), m.accuracy(), m.samples()));
    }

    void spectrum(Analyzer.LayerResult r) {
        double[] lambda = r.eigenvalues();
        for (int n = 1; n <= lambda.length; n++) {
            eigenvalues.add(List.of(epoch, r.layer(), n, lambda[n - 1]));
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("layer", r.layer());
        LayerSpectrum s = r.spectrum();
        if (s != null) {
            summary.add(List.of(epoch, r.layer(), s.alpha(), s.r2(), s.fit().used().lo(), s.fit().used().hi(), s.fit().points(),
                    s.participationRatio(), s.n90(), s.n95(), s.smoothnessMargin(), s.samples()));
            e.put("alpha", s.alpha());
            e.put("r2", s.r2());
            e.put("participationRatio", s.participationRatio());
        } else {
            Spectrum spectrum = new Spectrum(lambda, r.samples());
            summary.add(List.of(epoch, r.layer(), Double.NaN, Double.NaN, settings.window().lo(), settings.window().hi(), 0,
                    spectrum.participationRatio(), spectrum.componentsToExplain(0.90), spectrum.componentsToExplain(0.95),
                    Double.NaN, r.samples()));
            e.put("fitFailure", r.fitFailure());
        }
        eventLayers.add(e);
    }

    /** @param sanity "ok" or the failed checks ({@link org.manifoldlab.core.attack.AttackSanity#mark}) */
    void robustness(RobustnessRecord r, String sanity) {
        robustness.add(List.of(epoch, r.layer(), r.attackName(), r.strength(), r.accuracy(), r.robustAccuracy(), r.linf(), r.l2(),
                r.samples(), r.target(), sanity));
        attackResults.add(RunRecorder.fields("layer", r.layer(), "attack", r.attackName(), "strength", r.strength(),
                "accuracy", r.accuracy(), "robustAccuracy", r.robustAccuracy()));
    }

    void probe(LinearProbes.Result p) {
        probes.add(List.of(epoch, p.layer(), p.accuracy(), p.loss(), p.trainAccuracy(), p.samples(), p.epochs(), p.seed()));
    }

    void writeTo(RunDirectory run, ActorRef<RunRecorder.Command> recorder, String actor) {
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
        recorder.tell(new RunRecorder.Event("analysis-completed", actor, RunRecorder.fields("epoch", epoch, "layers", eventLayers)));
    }
}
