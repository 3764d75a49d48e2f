package org.manifoldlab.actors.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.actors.TestSpecs;
import org.manifoldlab.actors.attack.AttackPlan;
import org.manifoldlab.rundir.RunDirectory;

/** events.jsonl of a small run: every line parses, has the common fields, and the types come in the documented order. */
class EventsTest {

    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final Set<String> TYPES = Set.of("experiment-started", "experiment-resumed", "progress", "epoch-trained",
            "checkpoint-written", "attack-progress", "attacks-completed", "analysis-completed", "trainer-failed",
            "trainers-restarted", "analyzer-restarted", "attacker-restarted", "experiment-completed", "experiment-failed");

    @TempDir
    Path runs;

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    @Test
    void everyLineParsesHasTheCommonFieldsAndTheTypesComeInTheDocumentedOrder() throws Exception {
        TestProbe<ExperimentSupervisor.Outcome> outcome = KIT.createTestProbe();
        KIT.spawn(ExperimentSupervisor.create(TestSpecs.parse("""
                name: events
                network: {widths: [64, 32]}
                training: {epochs: 3, batchSize: 50}
                data: {probeSamples: %d}
                analysis: {fitRanks: [2, 20]}
                attacks: {gaussian: {sigmas: [0, 0.3]}, fgsm: {epsilons: [0.1]}, pgd: {epsilons: []}}
                """.formatted(2 * AttackPlan.BATCH_ROWS)), runs, outcome.getRef()));
        ExperimentSupervisor.Outcome o = outcome.expectMessageClass(ExperimentSupervisor.Outcome.class, Duration.ofMinutes(2));
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(o.runDir().resolve("events.jsonl"))) {
            events.add(RunDirectory.JSON.readTree(line));
        }
        List<String> types = new ArrayList<>();
        for (JsonNode e : events) {
            Instant.parse(e.get("ts").asText());
            assertEquals(o.id(), e.get("experiment").asText());
            assertTrue(e.get("actor").asText().startsWith("pekko://"), e.toString());
            assertTrue(TYPES.contains(e.get("type").asText()), e.toString());
            types.add(e.get("type").asText() + (e.has("epoch") ? "@" + e.get("epoch").asInt() : ""));
        }
        assertEquals("experiment-started", types.get(0));
        assertEquals("experiment-completed", types.get(types.size() - 1));
        for (int epoch = 1; epoch <= 3; epoch++) {
            int trained = types.indexOf("epoch-trained@" + epoch);
            int nextTrained = epoch < 3 ? types.indexOf("epoch-trained@" + (epoch + 1)) : types.size() - 1;
            assertTrue(trained > 0 && trained < nextTrained, types.toString());
            for (String part : List.of("checkpoint-written", "attacks-completed", "analysis-completed")) {
                int at = types.indexOf(part + "@" + epoch);
                assertTrue(at > trained && at < nextTrained, part + "@" + epoch + " in " + types);
            }
            assertTrue(types.indexOf("attacks-completed@" + epoch) < types.indexOf("analysis-completed@" + epoch));
            assertTrue(types.contains("progress@" + epoch), "160 steps an epoch: progress every 50");
            assertEquals(2, types.stream().filter(t -> t.equals("attack-progress@" + 1)).count(), "two probe batches");
        }
        JsonNode progress = events.stream().filter(e -> e.get("type").asText().equals("progress")).findFirst().orElseThrow();
        assertEquals(50, progress.get("step").asInt());
        assertEquals(160, progress.get("stepsPerEpoch").asInt());
        assertEquals(2, progress.get("localErrors").size());
        JsonNode analysis = events.stream().filter(e -> e.get("type").asText().equals("analysis-completed")).findFirst().orElseThrow();
        assertEquals(2, analysis.get("layers").size());
        assertTrue(analysis.get("layers").get(0).has("alpha"));
    }
}
