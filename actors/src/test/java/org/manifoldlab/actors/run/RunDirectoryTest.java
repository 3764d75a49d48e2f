package org.manifoldlab.actors.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.actors.TestSpecs;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.config.Specs;
import org.manifoldlab.rundir.Manifest;
import org.manifoldlab.rundir.RunDirectory;

/** An end-to-end run of a small network writes the whole run directory, every CSV with its documented columns. */
class RunDirectoryTest {

    private static final ActorTestKit KIT = ActorTestKit.create();

    @TempDir
    Path runs;

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    @Test
    void aSmallRunWritesACompleteRunDirectoryWithParsableCsvFiles() throws Exception {
        ExperimentSpec spec = TestSpecs.parse("""
                name: e2e
                seed: 3
                network: {widths: [40, 30]}
                training: {epochs: 2, batchSize: 200}
                data: {probeSamples: 600}
                analysis: {fitRanks: [2, 20], linearProbe: {enabled: true, epochs: 1}}
                attacks: {gaussian: {sigmas: [0, 0.2]}, fgsm: {epsilons: [0, 0.05]}, pgd: {epsilons: [0.05], steps: 2}}
                """);
        TestProbe<ExperimentSupervisor.Outcome> outcome = KIT.createTestProbe();
        KIT.spawn(ExperimentSupervisor.create(spec, runs, outcome.getRef()));
        ExperimentSupervisor.Outcome o = outcome.expectMessageClass(ExperimentSupervisor.Outcome.class, Duration.ofMinutes(2));
        assertTrue(o.completed(), o.reason());
        RunDirectory run = new RunDirectory(o.runDir());
        assertEquals(spec, Specs.parseOne(Files.readString(run.spec()), true), "spec.json is the resolved spec");
        Manifest m = run.readManifest();
        assertEquals(Manifest.COMPLETED, m.status());
        assertEquals(o.fingerprint(), m.fingerprint());
        assertEquals(2, m.epochsCompleted());
        assertTrue(Files.size(run.events()) > 0);
        Map<Path, List<String>> columns = Map.of(run.trainCsv(), RunDirectory.TRAIN_COLUMNS, run.spectrumCsv(), RunDirectory.SPECTRUM_COLUMNS,
                run.summaryCsv(), RunDirectory.SUMMARY_COLUMNS, run.robustnessCsv(), RunDirectory.ROBUSTNESS_COLUMNS,
                run.probesCsv(), RunDirectory.PROBE_COLUMNS);
        Map<Path, Integer> expectedRows = Map.of(
                run.trainCsv(), 2 * 2 * 2,               // epochs x layers x {train, test}
                run.spectrumCsv(), 2 * (40 + 30),        // epochs x eigenvalues of each layer
                run.summaryCsv(), 2 * 2,                 // epochs x layers
                run.robustnessCsv(), 2 * 2 * (2 + 2 + 1), // epochs x layers x (sigmas + eps + pgd eps)
                run.probesCsv(), 2);                     // layers, after the last epoch only
        for (Map.Entry<Path, List<String>> file : columns.entrySet()) {
            List<String> lines = Files.readAllLines(file.getKey());
            assertEquals(String.join(",", file.getValue()), lines.get(0), file.getKey() + " header");
            assertEquals(expectedRows.get(file.getKey()), lines.size() - 1, file.getKey() + " rows");
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", -1);
                assertEquals(file.getValue().size(), cells.length, line);
                assertTrue(Integer.parseInt(cells[0]) >= 1 && Integer.parseInt(cells[1]) >= 1, "epoch and layer from 1: " + line);
                for (int i = 2; i < cells.length; i++) {
                    String c = cells[i];
                    if (!List.of("train", "test", "gaussian", "fgsm", "pgd", "label", "none", "ols", "spec", "twonn", "ok").contains(c)
                            && !java.util.Arrays.stream(c.split("\\+")).allMatch(List.of(org.manifoldlab.core.attack.AttackSanity.RISES_WITH_STRENGTH,
                                    org.manifoldlab.core.attack.AttackSanity.PGD_ABOVE_FGSM)::contains)) {
                        Double.parseDouble(c.equals("inf") ? "Infinity" : c);
                    }
                }
            }
        }
        assertTrue(Files.list(run.checkpoints()).anyMatch(p -> p.toString().endsWith(".bin")));
    }
}
