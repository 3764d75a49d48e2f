package org.manifoldlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.rundir.RunDirectory;

/** A run's manifest says what produced it: the build's commit (as git says of this checkout), versions, threads, times. */
class ProvenanceTest {

    @TempDir
    Path dir;

    @Test
    void theManifestRecordsTheBuildsCommitVersionsAndPhases() throws Exception {
        Path spec = Files.writeString(dir.resolve("tiny.yaml"), """
                name: tiny
                network: {widths: [16]}
                training: {epochs: 1, batchSize: 256}
                data: {probeSamples: 200}
                analysis: {fitRanks: [2, 10]}
                attacks: {gaussian: {sigmas: [0, 0.3]}, fgsm: {epsilons: [0.1]}, pgd: {epsilons: []}}
                """);
        assertEquals(0, BadInputTest.lab("run", spec.toString(), "seed=4", "--runs-dir", dir.resolve("runs").toString()).code());
        Path run;
        try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
            run = s.findFirst().orElseThrow();
        }
        JsonNode manifest = RunDirectory.JSON.readTree(run.resolve("manifest.json").toFile());
        Process git = new ProcessBuilder("git", "rev-parse", "HEAD").directory(Path.of("").toAbsolutePath().getParent().toFile()).start();
        String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, git.waitFor());
        JsonNode p = manifest.path("provenance");
        assertEquals(head, p.path("gitCommit").asText(), "the commit embedded at build time is this checkout's HEAD");
        assertTrue(p.path("gitDirty").isBoolean());
        for (String key : List.of("java", "pekko", "nd4j", "openblas", "cpu")) {
            assertTrue(!p.path(key).asText().isBlank() && !p.path(key).asText().equals("unknown"), key + ": " + p.path(key));
        }
        assertEquals(1, p.path("blasThreadsPerCall").asInt());
        assertEquals(2, manifest.path("format").asInt());
        for (String phase : List.of("training", "analysis", "attacks")) {
            assertTrue(manifest.path("wallSeconds").path(phase).asDouble() > 0, phase + " took time: " + manifest.path("wallSeconds"));
        }
        assertEquals("[\"seed=4\"]", RunDirectory.JSON.readTree(run.resolve("spec.json").toFile()).path("settings").toString());
    }
}
