package org.manifoldlab.actors.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.actors.TestSpecs;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.core.Kernels;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.nn.PlainTrainer;
import org.manifoldlab.core.nn.TrainingMode;
import org.manifoldlab.rundir.RunLock;

/**
 * Each local rule, and the spectral penalty, through the whole system: the actor pipeline (three
 * layers in two stages) ends with the plain loop's fingerprint, and a run resumed from a
 * checkpoint inside its second epoch ends with the uninterrupted run's fingerprint and metrics.
 */
class LocalRulesRunTest {

    private static final ActorTestKit KIT = ActorTestKit.create();

    @TempDir
    static Path dir;

    @BeforeAll
    static void sameKernelThreadsAsTheActorSystem() {
        Kernels.singleThreaded();
    }

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    /** 8,000 training samples at batch 100: 80 steps an epoch, a checkpoint every 50 steps (also inside epoch 2, at step 150). */
    private static String spec(String name, String training) {
        return """
                name: %s
                seed: 21
                network: {widths: [40, 30, 20], layerGroups: [[1], [2, 3]]}
                training: {epochs: 2, batchSize: 100, %s}
                data: {probeSamples: 200}
                analysis: {intervals: never}
                attacks: {gaussian: {sigmas: [0, 0.3]}, fgsm: {epsilons: [0, 0.1]}, pgd: {epsilons: []}}
                checkpoint: {everySteps: 50, keep: 10, afterCompletion: all}
                """.formatted(name, training);
    }

    @Test
    void everyRuleInThePipelineEqualsThePlainLoopAndResumesBitForBit() throws Exception {
        String fixed = null;
        for (String rule : List.of("fixed-readout", "trained-readout", "pred", "sim", "predsim")) {
            String f = check(rule, "localLoss: " + rule + ", predsimBeta: 0.9");
            assertTrue(fixed == null || !fixed.equals(f), rule + " learns differently from fixed-readout");
            fixed = fixed == null ? f : fixed;
        }
    }

    @Test
    void theSpectralPenaltyInThePipelineEqualsThePlainLoopAndResumesBitForBit() throws Exception {
        String penalised = check("penalty", "spectralPenalty: {layers: [1, 2], targetAlpha: 1.5, weight: 1.0, everySteps: 7, batch: 64}");
        String plain = check("nopenalty", "localLoss: fixed-readout");
        assertNotEquals(plain, penalised, "the penalty changes the weights");
    }

    /** Plain loop, pipeline, resumed pipeline: one fingerprint; returns it. */
    private static String check(String name, String training) throws Exception {
        ExperimentSpec spec = TestSpecs.parse(spec(name.replace("-", ""), training));
        String plain = plainLoopFingerprint(spec);
        ExperimentSupervisor.Outcome whole = runFresh(spec, dir.resolve(name + "-whole"));
        assertTrue(whole.completed(), whole.reason());
        assertEquals(plain, whole.fingerprint(), name + ": pipeline against the plain loop");
        Path cut = dir.resolve(name + "-cut");
        RunDirectoryFiles.copyTree(whole.runDir(), cut);
        crashAfterStep(cut, 150);
        ExperimentSupervisor.Outcome resumed = resume(cut);
        assertTrue(resumed.completed(), resumed.reason());
        assertEquals(whole.fingerprint(), resumed.fingerprint(), name + ": resumed inside epoch 2");
        assertEquals(RunDirectoryFiles.metrics(whole.runDir()), RunDirectoryFiles.metrics(cut), name + ": metrics");
        return plain;
    }

    private static String plainLoopFingerprint(ExperimentSpec spec) throws IOException {
        Dataset.Split data = DataSources.load(spec.data().source(), spec.seed(), spec.data().testFraction());
        Network net = ExperimentPlan.network(spec, data.train());
        PlainTrainer trainer = new PlainTrainer(net, TrainingMode.valueOf(spec.training().mode().name()),
                spec.training().batchSize(), spec.training().epochs(), spec.seed());
        for (int e = 1; e <= spec.training().epochs(); e++) {
            trainer.trainEpoch(data.train(), e);
        }
        return net.fingerprint();
    }

    /**
     * The run directory as a crash right after the checkpoint at global step {@code step} leaves it:
     * later checkpoints and the manifest gone, metrics files longer than that checkpoint's rows
     * (resume cuts them back).
     */
    private static void crashAfterStep(Path run, long step) throws IOException {
        CheckpointStore store = new CheckpointStore(run.resolve("checkpoints"), 10);
        boolean found = false;
        for (CheckpointStore.Entry e : store.entries()) {
            found |= e.step() == step && e.position() > 0;
            if (e.step() > step) {
                Files.delete(e.manifest());
                Files.delete(e.manifest().resolveSibling(e.manifest().getFileName().toString().replace(".json", ".bin")));
            }
        }
        assertTrue(found, "a checkpoint inside epoch 2 at step " + step);
        Files.delete(run.resolve("manifest.json"));
    }

    private static ExperimentSupervisor.Outcome runFresh(ExperimentSpec spec, Path runs) {
        TestProbe<ExperimentSupervisor.Outcome> outcome = KIT.createTestProbe();
        KIT.spawn(ExperimentSupervisor.create(spec, runs, outcome.getRef()));
        return outcome.expectMessageClass(ExperimentSupervisor.Outcome.class, Duration.ofMinutes(3));
    }

    private static ExperimentSupervisor.Outcome resume(Path runDir) throws Exception {
        RunLock lock = RunLock.acquire(runDir);
        Resume.Plan plan = Resume.prepare(runDir, "");
        assertTrue(plan.checkpoint() != null && plan.checkpoint().position() > 0, "resumes inside an epoch");
        TestProbe<ExperimentSupervisor.Outcome> outcome = KIT.createTestProbe();
        KIT.spawn(ExperimentSupervisor.resume(plan.spec(), plan.run(), plan.checkpoint(), outcome.getRef(), lock));
        return outcome.expectMessageClass(ExperimentSupervisor.Outcome.class, Duration.ofMinutes(3));
    }

}
