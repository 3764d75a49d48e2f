package org.manifoldlab.actors.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.actors.TestSpecs;
import org.manifoldlab.actors.run.Checkpoint;
import org.manifoldlab.actors.run.CheckpointStore;
import org.manifoldlab.actors.run.ExperimentSupervisor;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.core.Kernels;
import org.manifoldlab.core.attack.ClipRange;
import org.manifoldlab.core.attack.RobustnessEvaluation;
import org.manifoldlab.core.attack.RobustnessRecord;
import org.manifoldlab.core.data.Batch;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.Activation;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.spectrum.CovarianceAccumulator;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What the analysis actors write equals core's direct computation on the same snapshot. */
class AnalysisActorsTest {

    private static final ActorTestKit KIT = ActorTestKit.create();

    @TempDir
    Path runs;

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    private ExperimentSupervisor.Outcome run(String yaml) {
        TestProbe<ExperimentSupervisor.Outcome> outcome = KIT.createTestProbe();
        KIT.spawn(ExperimentSupervisor.create(TestSpecs.parse(yaml), runs, outcome.getRef()));
        ExperimentSupervisor.Outcome o = outcome.expectMessageClass(ExperimentSupervisor.Outcome.class, Duration.ofMinutes(3));
        assertTrue(o.completed(), o.reason());
        return o;
    }

    private static final String SPEC = """
            name: spectra
            seed: 4
            network: {widths: [120, 80, 60]}
            training: {epochs: 2, batchSize: 100}
            data: {probeSamples: 1300}
            analysis: {fitRanks: [3, 40]}
            attacks: {gaussian: {sigmas: [0, 0.3]}, fgsm: {epsilons: [0, 0.1]}, pgd: {epsilons: []}}
            """;

    @Test
    void streamedSpectraEqualTheDirectComputationOnTheSameSnapshot() throws IOException {
        ExperimentSupervisor.Outcome o = run(SPEC);
        ExperimentSpec spec = TestSpecs.parse(SPEC);
        Checkpoint last = new CheckpointStore(o.runDir().resolve("checkpoints"), 2).read(
                new CheckpointStore(o.runDir().resolve("checkpoints"), 2).entries().get(0), Activation.RELU);
        Network snapshot = new Network(784, 10, last.layers());
        Dataset probe = DataSources.load("mnist-10k", spec.seed(), 0.2).test().sample(spec.seed(), 1300);
        Kernels.singleThreaded();
        List<String> rows = Files.readAllLines(o.runDir().resolve("metrics/spectrum.csv"));
        for (int layer = 1; layer <= 3; layer++) {
            // the activations of the whole probe set as one matrix, then one accumulation. They are
            // computed in the streamer's 500-row batches: a gemm's float bits may depend on its row count.
            List<INDArray> parts = new java.util.ArrayList<>();
            for (int from = 0; from < probe.size(); from += ActivationStreamer.BATCH_ROWS) {
                int n = Math.min(ActivationStreamer.BATCH_ROWS, probe.size() - from);
                INDArray h = new Batch(snapshot.dataType(), n, probe.features()).fillRange(probe, from).x();
                for (int l = 1; l <= layer; l++) {
                    h = snapshot.layer(l).forward(h);
                }
                parts.add(h.dup('c'));
            }
            CovarianceAccumulator direct = new CovarianceAccumulator(snapshot.layer(layer).dense().out());
            direct.accumulate(org.nd4j.linalg.factory.Nd4j.vstack(parts.toArray(INDArray[]::new)));
            double[] expected = direct.spectrum().eigenvalues();
            final int l = layer;
            double[] streamed = rows.stream().skip(1).map(r -> r.split(","))
                    .filter(c -> c[0].equals("2") && c[1].equals(String.valueOf(l)))
                    .mapToDouble(c -> Double.parseDouble(c[3])).toArray();
            assertEquals(expected.length, streamed.length, "layer " + layer + " eigenvalue count");
            for (int n = 0; n < expected.length; n++) {
                assertEquals(expected[n], streamed[n], 1e-9 * expected[0], "layer " + layer + " rank " + (n + 1));
            }
        }
    }

    @Test
    void robustnessFromAttackerAndEvaluatorActorsEqualsCoresDirectEvaluation() throws IOException {
        ExperimentSupervisor.Outcome o = run(SPEC);
        ExperimentSpec spec = TestSpecs.parse(SPEC);
        CheckpointStore store = new CheckpointStore(o.runDir().resolve("checkpoints"), 2);
        Network snapshot = new Network(784, 10, store.read(store.entries().get(0), Activation.RELU).layers());
        Dataset probe = DataSources.load("mnist-10k", spec.seed(), 0.2).test().sample(spec.seed(), 1300);
        Kernels.singleThreaded();
        List<RobustnessRecord> direct = RobustnessEvaluation.run(snapshot, probe,
                org.manifoldlab.actors.attack.AttackPlan.attacks(spec.attacks()), new int[] {1, 2, 3},
                ClipRange.of(probe), org.manifoldlab.actors.attack.AttackPlan.BATCH_ROWS, spec.seed()).records();
        List<String[]> written = Files.readAllLines(o.runDir().resolve("metrics/robustness.csv")).stream().skip(1)
                .map(r -> r.split(",")).filter(c -> c[0].equals("2")).toList();
        assertEquals(direct.size(), written.size());
        assertEquals(3 * (2 + 2), written.size(), "two sigmas and two eps, each at three layers");
        for (int i = 0; i < direct.size(); i++) {
            RobustnessRecord d = direct.get(i);
            String[] w = written.get(i);
            assertEquals(d.layer(), Integer.parseInt(w[1]));
            assertEquals(d.attackName(), w[2]);
            assertEquals(d.strength(), Double.parseDouble(w[3]));
            assertEquals(d.accuracy(), Double.parseDouble(w[4]), d.attack().describe() + " layer " + d.layer());
            assertEquals(d.robustAccuracy(), Double.parseDouble(w[5]), d.attack().describe() + " layer " + d.layer());
            assertEquals(d.linf(), Double.parseDouble(w[6]));
            assertEquals(d.l2(), Double.parseDouble(w[7]));
            assertEquals(d.samples(), Long.parseLong(w[8]));
        }
    }

    @Test
    void anAttackerFaultIsRedoneAndChangesNoNumber() throws IOException {
        ExperimentSupervisor.Outcome clean = run(SPEC);
        ExperimentSupervisor.Outcome faulty = run(SPEC + "faults: {attacker: {layer: 3, epoch: 2}}\n");
        assertEquals(Files.readString(clean.runDir().resolve("metrics/robustness.csv")),
                Files.readString(faulty.runDir().resolve("metrics/robustness.csv")));
        String events = Files.readString(faulty.runDir().resolve("events.jsonl"));
        assertTrue(events.contains("\"type\":\"attacker-restarted\""), events);
    }

    @Test
    void anAnalyzerFaultIsRedoneAndChangesNoNumber() throws IOException {
        ExperimentSupervisor.Outcome clean = run(SPEC);
        ExperimentSupervisor.Outcome faulty = run(SPEC + "faults: {analyzer: {layer: 2, epoch: 1}}\n");
        for (String file : List.of("train.csv", "spectrum.csv", "spectrum-summary.csv", "robustness.csv")) {
            assertEquals(Files.readString(clean.runDir().resolve("metrics/" + file)),
                    Files.readString(faulty.runDir().resolve("metrics/" + file)), file);
        }
        assertEquals(clean.fingerprint(), faulty.fingerprint());
        String events = Files.readString(faulty.runDir().resolve("events.jsonl"));
        assertTrue(events.contains("\"type\":\"analyzer-restarted\""), events);
        assertTrue(events.contains("injected fault: analyzer of layer 2 at epoch 1"), events);
    }
}
