package org.manifoldlab.actors.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.actors.TestSpecs;
import org.manifoldlab.rundir.Manifest;
import org.manifoldlab.rundir.RunDirectory;

/**
 * The OpenBLAS kernels decide a run's last bits: a run continued under other kernels than its
 * manifest records says once that the rest is not bit-identical, and how to resume with the same;
 * under the same kernels it says nothing and ends with the uninterrupted run's weights.
 */
class KernelsOnResumeTest {

    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final String SPEC = """
            name: kernels
            seed: 5
            data: {probeSamples: 200}
            network: {widths: [64, 32]}
            training: {epochs: 2, batchSize: 100}
            analysis: {everyEpochs: 100, fitRanks: [2, 20]}
            attacks: {gaussian: {sigmas: []}, fgsm: {epsilons: []}, pgd: {epsilons: []}}
            checkpoint: {afterCompletion: all, keep: 5}
            """;

    @TempDir
    static Path dir;

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    private static ExperimentSupervisor.Outcome uninterrupted(Path runs) {
        TestProbe<ExperimentSupervisor.Outcome> outcome = KIT.createTestProbe();
        KIT.spawn(ExperimentSupervisor.create(TestSpecs.parse(SPEC), runs, outcome.getRef()));
        ExperimentSupervisor.Outcome o = outcome.expectMessageClass(ExperimentSupervisor.Outcome.class, Duration.ofMinutes(3));
        assertTrue(o.completed(), o.reason());
        return o;
    }

    private static ExperimentSupervisor.Outcome resume(Path runDir) {
        try {
            return RunDirectoryFiles.resume(KIT, runDir);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The run's manifest as a process killed after its last checkpoint leaves it, its kernels recorded as named. */
    private static void asIfKilledUnder(Path runDir, String kernels) throws Exception {
        asIfKilledUnder(runDir, "openblasCoretype", kernels);
    }

    /** The same, with the provenance entry key (the kernels, or the OpenBLAS version) recorded as value. */
    private static void asIfKilledUnder(Path runDir, String key, String value) throws Exception {
        RunDirectory run = new RunDirectory(runDir);
        ObjectNode manifest = (ObjectNode) RunDirectory.JSON.readTree(run.manifest().toFile());
        manifest.put("status", Manifest.RUNNING);
        ((ObjectNode) manifest.get("provenance")).put(key, value);
        RunDirectory.JSON.writeValue(run.manifest().toFile(), manifest);
    }

    @Test
    void aRunResumedUnderOtherKernelsSaysItsRestIsNotBitIdentical() throws Exception {
        ExperimentSupervisor.Outcome clean = uninterrupted(dir.resolve("other"));
        Path copy = dir.resolve("other-copy");
        RunDirectoryFiles.copyTree(clean.runDir(), copy);
        asIfKilledUnder(copy, "Prescott");
        ExperimentSupervisor.Outcome resumed = LoggingTestKit.warn("trained so far with OpenBLAS kernels Prescott")
                .withOccurrences(1)
                .expect(KIT.system(), () -> resume(copy));
        assertTrue(resumed.completed(), resumed.reason());
    }

    @Test
    void aRunResumedUnderAnotherOpenBlasVersionSaysSo() throws Exception {
        ExperimentSupervisor.Outcome clean = uninterrupted(dir.resolve("version"));
        Path copy = dir.resolve("version-copy");
        RunDirectoryFiles.copyTree(clean.runDir(), copy);
        String now = String.valueOf(new RunDirectory(copy).readManifest().provenance().get("openblas"));
        asIfKilledUnder(copy, "openblas", "0.3.19-1.5.7");
        ExperimentSupervisor.Outcome resumed = LoggingTestKit.warn("trained so far with OpenBLAS 0.3.19-1.5.7, resumed with OpenBLAS " + now)
                .withOccurrences(1)
                .expect(KIT.system(), () -> resume(copy));
        assertTrue(resumed.completed(), resumed.reason());
    }

    @Test
    void aRunResumedUnderItsOwnKernelsSaysNothingAndEqualsTheUninterruptedRun() throws Exception {
        ExperimentSupervisor.Outcome clean = uninterrupted(dir.resolve("same"));
        Path copy = dir.resolve("same-copy");
        RunDirectoryFiles.copyTree(clean.runDir(), copy);
        Object recorded = new RunDirectory(copy).readManifest().provenance().get("openblasCoretype");
        asIfKilledUnder(copy, String.valueOf(recorded));
        ExperimentSupervisor.Outcome resumed = LoggingTestKit.warn("trained so far with OpenBLAS").withOccurrences(0)
                .expect(KIT.system(), () -> resume(copy));
        assertTrue(resumed.completed(), resumed.reason());
        assertEquals(clean.fingerprint(), resumed.fingerprint());
    }
}
