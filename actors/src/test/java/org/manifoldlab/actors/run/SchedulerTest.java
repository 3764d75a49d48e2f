package org.manifoldlab.actors.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.actors.TestSpecs;
import org.manifoldlab.config.ExperimentSpec;

class SchedulerTest {

    private static final ActorTestKit KIT = ActorTestKit.create();

    @TempDir
    Path runs;

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    private static ExperimentSpec spec(String name, long seed, String widths, String extra) {
        return TestSpecs.parse("""
                name: %s
                seed: %d
                network: {widths: %s}
                training: {epochs: 2, batchSize: 128%s}
                data: {probeSamples: 300}
                analysis: {fitRanks: [2, 20]}
                attacks: {gaussian: {sigmas: [0, 0.3]}, fgsm: {epsilons: [0, 0.1]}, pgd: {epsilons: []}}
                """.formatted(name, seed, widths, extra));
    }

    private List<ExperimentSupervisor.Outcome> runAll(List<ExperimentSpec> specs, int maxConcurrent, Path dir) {
        return runAll(specs, Admission.fixed(maxConcurrent), dir);
    }

    private List<ExperimentSupervisor.Outcome> runAll(List<ExperimentSpec> specs, Admission admission, Path dir) {
        TestProbe<ExperimentScheduler.AllDone> done = KIT.createTestProbe();
        KIT.spawn(ExperimentScheduler.create(specs, dir, admission, null, done.getRef()));
        return done.expectMessageClass(ExperimentScheduler.AllDone.class, Duration.ofMinutes(4)).outcomes();
    }

    @Test
    void fourExperimentsAtOnceGiveTheFingerprintsOfFourInARow() {
        List<ExperimentSpec> specs = List.of(spec("a", 1, "[64, 32]", ""), spec("b", 2, "[64, 32]", ""),
                spec("c", 3, "[48]", ""), spec("d", 4, "[32, 32, 32]", ""));
        List<ExperimentSupervisor.Outcome> together = runAll(specs, 4, runs.resolve("together"));
        List<ExperimentSupervisor.Outcome> inARow = runAll(specs, 1, runs.resolve("in-a-row"));
        assertEquals(4, together.size());
        for (int i = 0; i < 4; i++) {
            assertTrue(together.get(i).completed(), together.get(i).reason());
            assertEquals(specs.get(i).name(), together.get(i).name());
            assertEquals(inARow.get(i).fingerprint(), together.get(i).fingerprint(), specs.get(i).name());
        }
    }

    @Test
    void oneFailingExperimentDoesNotStopTheOthers() {
        List<ExperimentSpec> specs = List.of(spec("ok", 1, "[32]", ""),
                spec("nan", 5, "[48, 40, 32]", ", optimizer: {type: sgd, learningRate: 1.0e12}"), spec("ok2", 2, "[32]", ""));
        List<ExperimentSupervisor.Outcome> outcomes = runAll(specs, 2, runs);
        assertTrue(outcomes.get(0).completed());
        assertFalse(outcomes.get(1).completed());
        assertTrue(outcomes.get(1).reason().contains("diverged"), outcomes.get(1).reason());
        assertTrue(outcomes.get(2).completed());
    }

    @Test
    void aCacheBudgetHoldsBackTheExperimentThatWouldOverflowIt() throws Exception {
        List<ExperimentSpec> specs = List.of(spec("a", 1, "[64, 32]", ""), spec("b", 2, "[64, 32]", ""), spec("c", 3, "[64, 32]", ""));
        long two = 2 * Admission.workingSetBytes(specs.get(0));
        List<ExperimentSupervisor.Outcome> outcomes = runAll(specs, new Admission(3, two), runs);
        Instant[] started = eventTimes(outcomes, "experiment-started");
        Instant[] ended = eventTimes(outcomes, "experiment-completed");
        assertTrue(started[1].isBefore(ended[0]), "a and b fit the budget together, so they run at once");
        Instant firstEnd = ended[0].isBefore(ended[1]) ? ended[0] : ended[1];
        assertFalse(started[2].isBefore(firstEnd), "c would overflow the budget, so it waits for a or b");
    }

    @Test
    void aHeapBoundHoldsBackTheExperimentThatWouldOverflowIt() throws Exception {
        List<ExperimentSpec> specs = List.of(spec("ha", 1, "[64, 32]", ""), spec("hb", 2, "[64, 32]", ""), spec("hc", 3, "[64, 32]", ""));
        Admission unbounded = new Admission(3, 0);
        long two = 2 * unbounded.footprintOf(specs.get(0)).heap();
        List<ExperimentSupervisor.Outcome> outcomes = runAll(specs, new Admission(3, 0, java.util.Map.of(), two, 0), runs);
        Instant[] started = eventTimes(outcomes, "experiment-started");
        Instant[] ended = eventTimes(outcomes, "experiment-completed");
        Instant firstEnd = ended[0].isBefore(ended[1]) ? ended[0] : ended[1];
        assertFalse(started[2].isBefore(firstEnd), "hc would overflow the heap bound beside ha and hb, so it waits for one of them");
    }

    /** Each completed run's first event of this type, in the outcomes' order. */
    private static Instant[] eventTimes(List<ExperimentSupervisor.Outcome> outcomes, String type) throws Exception {
        Instant[] times = new Instant[outcomes.size()];
        for (int i = 0; i < times.length; i++) {
            assertTrue(outcomes.get(i).completed(), outcomes.get(i).reason());
            times[i] = eventTime(outcomes.get(i).runDir(), type);
        }
        return times;
    }

    private static Instant eventTime(Path runDir, String type) throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(runDir.resolve("events.jsonl"))) {
            JsonNode event = json.readTree(line);
            if (event.get("type").asText().equals(type)) {
                return Instant.parse(event.get("ts").asText());
            }
        }
        throw new AssertionError("no " + type + " in " + runDir);
    }
}
