package org.manifoldlab.actors.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.actors.TestSpecs;
import org.manifoldlab.actors.run.ExperimentSupervisor;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.manifold.TwoNn;
import org.manifoldlab.core.spectrum.ProbeRows;
import org.manifoldlab.rundir.RunDirectory;

/**
 * A run with the defaults of analysis (automatic window, intervals at the last analysis, d auto)
 * writes intervals and the layers' d only at its last analysis, and the input's TwoNN d, equal
 * to core's on the same probe set, in every row; with attacks.at last, its attack grid too.
 */
class AnalysisIntervalsTest {

    private static final ActorTestKit KIT = ActorTestKit.create();

    @TempDir
    Path runs;

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    private static final String SPEC = """
            name: intervals
            seed: 5
            network: {widths: [100, 60]}
            training: {epochs: 2, batchSize: 100}
            data: {probeSamples: 600}
            attacks: {gaussian: {sigmas: [0, 0.5]}, fgsm: {epsilons: []}, pgd: {epsilons: []}, at: last}
            """;

    @Test
    void intervalsAndLayerDimensionsAtTheLastAnalysisAndTheInputsDInEveryRow() throws IOException {
        TestProbe<ExperimentSupervisor.Outcome> outcome = KIT.createTestProbe();
        ExperimentSpec spec = TestSpecs.parse(SPEC);
        KIT.spawn(ExperimentSupervisor.create(spec, runs, outcome.getRef()));
        ExperimentSupervisor.Outcome o = outcome.expectMessageClass(ExperimentSupervisor.Outcome.class, Duration.ofMinutes(3));
        assertTrue(o.completed(), o.reason());

        Dataset probe = DataSources.load("mnist-10k", spec.seed(), 0.2).test().sample(spec.seed(), 600);
        float[] x = new float[probe.size() * probe.features()];
        for (int i = 0; i < probe.size(); i++) {
            probe.copyFeatures(i, x, i * probe.features());
        }
        double inputD = TwoNn.estimate(ProbeRows.wrap(x, probe.size(), probe.features()), 20).value();

        List<String> lines = Files.readAllLines(o.runDir().resolve("metrics/spectrum-summary.csv"));
        assertEquals(String.join(",", RunDirectory.SUMMARY_COLUMNS), lines.get(0));
        assertEquals(4, lines.size() - 1, "2 epochs x 2 layers");
        for (String line : lines.subList(1, lines.size())) {
            Map<String, String> r = row(lines.get(0), line);
            double alpha = Double.parseDouble(r.get("alpha"));
            assertEquals("auto", r.get("window"));
            assertEquals("ols", r.get("method"));
            assertEquals("twonn", r.get("dim_source"));
            assertEquals(inputD, Double.parseDouble(r.get("manifold_dim")), 1e-9, line);
            assertEquals(alpha - (1 + 2 / inputD), Double.parseDouble(r.get("smoothness_margin")), 1e-9, line);
            int rank = Integer.parseInt(r.get("rank"));
            assertEquals(Math.max(12, rank / 2), Integer.parseInt(r.get("fit_hi")), line);
            boolean last = r.get("epoch").equals("2");
            for (String c : List.of("alpha_lo", "alpha_hi", "pr_lo", "pr_hi", "margin_lo", "margin_hi", "layer_d_twonn", "layer_d_lb")) {
                assertEquals(last, Double.isFinite(Double.parseDouble(r.get(c))), c + " at epoch " + r.get("epoch") + ": " + line);
            }
            if (last) {
                assertTrue(Double.parseDouble(r.get("alpha_lo")) < alpha && alpha < Double.parseDouble(r.get("alpha_hi")), line);
                assertEquals("20", r.get("jackknife_blocks"));
            }
        }
        // attacks.at: last: the grid is evaluated at the last analysis only, 2 layers x 2 sigmas
        List<String> robustness = Files.readAllLines(o.runDir().resolve("metrics/robustness.csv"));
        assertEquals(String.join(",", RunDirectory.ROBUSTNESS_COLUMNS), robustness.get(0));
        assertEquals(4, robustness.size() - 1, String.join("\n", robustness));
        for (String line : robustness.subList(1, robustness.size())) {
            assertEquals("2", row(robustness.get(0), line).get("epoch"), line);
        }
    }

    private static Map<String, String> row(String header, String line) {
        String[] names = header.split(",");
        String[] cells = line.split(",", -1);
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], cells[i]);
        }
        return m;
    }
}
