package org.manifoldlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tables of the findings page: hand-worked cells from a summary made up here, the block
 * redrawn in place, and docs/FINDINGS.md itself equal to what its committed summary.json files give.
 */
class FindingsTablesTest {

    @TempDir
    Path dir;

    /**
     * Three seeds, two layers. Layer 1's alpha is 1, 2, 3 over the seeds: mean 2, sd 1, and
     * t(0.975, 2) = 4.302653, so the interval is 2 -+ 4.302653 / sqrt 3 = [-0.484, 4.484]. Layer
     * 2's alpha is 2 in every seed: [2, 2]. Layer 1's margin interval is above 0 in every seed,
     * layer 2's is not in seed 3.
     */
    private static final String SUMMARY = """
            {"members": [
              {"seed": 1, "epoch": 12, "layers": [
                {"layer": 1, "alpha": 1, "cleanAccuracy": 0.90, "participationRatio": 10, "smoothnessMargin": 0.1, "layerDTwoNn": 5,
                 "marginInterval": [0.05, 0.15], "accuracy": {"gaussian": {"0": 0.9, "0.1": 0.80}}},
                {"layer": 2, "alpha": 2, "cleanAccuracy": 0.80, "participationRatio": 5, "smoothnessMargin": 0.2, "layerDTwoNn": null,
                 "marginInterval": [0.10, 0.30], "accuracy": {"gaussian": {"0": 0.8, "0.1": 0.70}}}]},
              {"seed": 2, "epoch": 10, "layers": [
                {"layer": 1, "alpha": 2, "cleanAccuracy": 0.92, "participationRatio": 11, "smoothnessMargin": 0.2, "layerDTwoNn": 6,
                 "marginInterval": [0.15, 0.25], "accuracy": {"gaussian": {"0": 0.92, "0.1": 0.82}}},
                {"layer": 2, "alpha": 2, "cleanAccuracy": 0.80, "participationRatio": 5, "smoothnessMargin": 0.2, "layerDTwoNn": null,
                 "marginInterval": [0.10, 0.30], "accuracy": {"gaussian": {"0": 0.8, "0.1": 0.70}}}]},
              {"seed": 3, "epoch": 15, "layers": [
                {"layer": 1, "alpha": 3, "cleanAccuracy": 0.94, "participationRatio": 12, "smoothnessMargin": 0.3, "layerDTwoNn": 7,
                 "marginInterval": [0.25, 0.35], "accuracy": {"gaussian": {"0": 0.94, "0.1": 0.84}}},
                {"layer": 2, "alpha": 2, "cleanAccuracy": 0.80, "participationRatio": 5, "smoothnessMargin": 0.2, "layerDTwoNn": null,
                 "marginInterval": [null, null], "accuracy": {"gaussian": {"0": 0.8, "0.1": 0.70}}}]}],
             "findings": [
              {"number": 1, "title": "Higher alpha goes with higher clean accuracy", "verdict": "contradicted",
               "evidence": {"measure": "clean test accuracy", "strengths": [{"strength": 0.0, "order": "decreasing",
                 "pairs": [{"significant": true}, {"significant": false}, {"significant": true}]}]},
               "rhoAcrossMembers": {"n": 3, "mean": -0.5, "sd": 0.1, "lo": -0.75, "hi": -0.25, "level": 0.95}},
              {"number": 2, "title": "Under Gaussian noise, accuracy is monotonic in alpha at each sigma", "verdict": "inconclusive",
               "attack": "gaussian", "evidence": {"measure": "accuracy on the noisy input", "strengths": []},
               "strengths": [{"strength": 0.1, "rhoAcrossMembers": {"n": 1, "mean": 0.25, "sd": null, "lo": null, "hi": null}}]}],
             "trainingTime": {"effects": [{"attack": "clean", "direction": "rises",
               "overall": {"n": 3, "mean": 0.6, "lo": 0.4, "hi": 0.8},
               "layers": [{"layer": 1, "rho": {"n": 3, "mean": 0.7, "lo": 0.5, "hi": 0.9}}]}]}}
            """;

    private FindingsTables.Source source() throws IOException {
        return new FindingsTables.Source("Toy", new ObjectMapper().readTree(SUMMARY));
    }

    @Test
    void cellsAreTheMeansOverSeedsWithTheirTIntervals() throws IOException {
        String tables = FindingsTables.render(List.of(source()));
        assertTrue(tables.contains("| Toy | L1 | 2.000 [-0.484, 4.484] | 0.9200 [0.8703, 0.9697] | 11.0 [8.5, 13.5] | 0.200 [-0.048, 0.448] "
                + "| 6.0 [3.5, 8.5] |\n"), tables);
        assertTrue(tables.contains("| Toy | L2 | 2.000 [2.000, 2.000] | 0.8000 [0.8000, 0.8000] | 5.0 [5.0, 5.0] | 0.200 [0.200, 0.200] | - |\n"),
                "an estimate missing in every seed is a dash: " + tables);
        assertTrue(tables.contains("| 1. Higher alpha goes with higher clean accuracy | clean test accuracy | disagree (3 seeds, epoch 10-15) |"),
                tables);
        assertTrue(tables.contains("| smoothness: alpha > 1 + 2/d (d: the input's TwoNN dimension) | layers whose alpha - (1 + 2/d) has a "
                + "jackknife interval above 0, in every seed | L1 of 2 |"), "layer 2 has no interval in seed 3: " + tables);
        assertTrue(tables.contains("| Toy | 1 | clean | -0.50 [-0.75, -0.25] | decreasing (2 of 3 pairs differ) | contradicted |"), tables);
        assertTrue(tables.contains("| Toy | 2 | gaussian 0.1 | 0.25 (1 seed) | - | inconclusive |"), tables);
        assertTrue(tables.contains("| Toy | mean of layers | 0.60 [0.40, 0.80] | rises |"), tables);
        // 0.80, 0.82, 0.84: mean 0.82, sd 0.02, half 4.302653 * 0.02 / sqrt 3 = 0.0497
        assertTrue(tables.contains("| gaussian 0.1 | 0.820 [0.770, 0.870] | 0.700 [0.700, 0.700] |"), tables);
        assertFalse(tables.contains("gaussian 0 |"), "strength 0 is the clean accuracy, not an attack row");
    }

    /** The tables read the summary lab report writes, not a shape assumed here: every claim-1 row names its order and pairs. */
    @Test
    void theTablesReadTheSummaryThatLabReportWrites() throws IOException {
        Path sweep = dir.resolve("sweep");
        for (int seed = 1; seed <= 3; seed++) {
            RunFixture.write(sweep.resolve("m" + seed), seed);
        }
        Report.write(sweep, sweep.resolve("report"), null, null);
        String tables = FindingsTables.render(List.of(new FindingsTables.Source("Fixture",
                new ObjectMapper().readTree(sweep.resolve("report/summary.json").toFile()))));
        String claim1 = tables.lines().filter(l -> l.startsWith("| Fixture | 1 | clean |")).findFirst().orElseThrow();
        assertTrue(claim1.matches("\\| Fixture \\| 1 \\| clean \\| \\S+ \\[\\S+, \\S+\\] \\| [a-z ]+ \\(\\d+ of 3 pairs differ\\) \\| [a-z]+ \\|"),
                claim1);
        assertTrue(tables.contains("| Fixture | L3 |"), tables);
        assertTrue(tables.contains("(3 seeds, epoch 2)"), tables);
    }

    @Test
    void theBlockIsRedrawnInPlaceAndAStaleOneIsSeen() throws IOException {
        Files.createDirectories(dir.resolve("docs/findings/toy"));
        Files.writeString(dir.resolve("docs/findings/toy/summary.json"), SUMMARY);
        Path page = dir.resolve("docs/FINDINGS.md");
        Files.writeString(page, "# Findings\n\nbefore\n\n<!-- tables from: Toy=docs/findings/toy/summary.json -->\nold\n<!-- tables end -->\n\nafter\n");
        assertTrue(FindingsTables.stale(FindingsTables.read(page, dir)));
        assertTrue(FindingsTables.write(page, dir));
        String text = Files.readString(page);
        assertTrue(text.startsWith("# Findings\n\nbefore\n\n<!-- tables from: Toy=docs/findings/toy/summary.json -->\n**Table 1."), text);
        assertTrue(text.endsWith("<!-- tables end -->\n\nafter\n"), text);
        assertFalse(FindingsTables.stale(FindingsTables.read(page, dir)));
        assertFalse(FindingsTables.write(page, dir), "nothing to redraw");
        Files.writeString(page, text.replace("2.000 [-0.484, 4.484]", "2.100 [-0.484, 4.484]"));
        assertTrue(FindingsTables.stale(FindingsTables.read(page, dir)), "a number typed over is caught");
    }

    /**
     * Two settings, seeds 1 to 3 in the first and 2, 3 in the second (the toy with layer 1's alpha
     * and accuracy shifted). Only seeds 2 and 3 are compared. Seed 2, layer 1: alpha 2 then 2.5,
     * accuracy 0.92 then 0.90, rho -1; seed 3: alpha 3 then 3.5, accuracy 0.94 then 0.96, rho 1:
     * the mean over the two seeds is 0 with t(0.975, 1) = 12.706 times sd sqrt 2 over sqrt 2:
     * [-12.71, 12.71]. The first setting's alpha over seeds 2 and 3 is 2.5, sd 0.7071, half width
     * 12.706 x 0.7071 / sqrt 2 = 6.353: [-3.853, 8.853]; its accuracy 0.93, half width 0.1271.
     */
    @Test
    void aLeverComparesTheSeedsEverySettingRan() throws IOException {
        ObjectMapper json = new ObjectMapper();
        var second = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(SUMMARY);
        var members = (com.fasterxml.jackson.databind.node.ArrayNode) second.get("members");
        members.remove(0);
        double[][] shifted = {{2.5, 0.90}, {3.5, 0.96}};
        for (int i = 0; i < 2; i++) {
            var l1 = (com.fasterxml.jackson.databind.node.ObjectNode) members.get(i).get("layers").get(0);
            l1.put("alpha", shifted[i][0]).put("cleanAccuracy", shifted[i][1]);
        }
        String tables = FindingsTables.renderLever(List.of(source(), new FindingsTables.Source("Toy2", second)));
        assertTrue(tables.contains("| layer | alpha, Toy | alpha, Toy2 | clean accuracy, Toy | clean accuracy, Toy2 | rho (alpha, clean) |"), tables);
        assertTrue(tables.contains("| L1 | 2.500 [-3.853, 8.853] | 3.000 [-3.353, 9.353] | 0.9300 [0.8029, 1.0571] | 0.9300 [0.5488, 1.3112] "
                + "| 0.00 [-12.71, 12.71] |"), tables);
    }

    @Test
    void sourcesOutsideTheRootWithoutANameOrOfAnotherShapeAreRefused() throws IOException {
        Path page = dir.resolve("page.md");
        Files.writeString(page, "<!-- tables from: Toy=../elsewhere/summary.json -->\n<!-- tables end -->\n");
        assertTrue(assertThrows(IOException.class, () -> FindingsTables.read(page, dir.resolve("root"))).getMessage().contains("outside"));
        Files.writeString(page, "<!-- tables from: summary.json -->\n<!-- tables end -->\n");
        assertTrue(assertThrows(IOException.class, () -> FindingsTables.read(page, dir)).getMessage().contains("expected NAME=SUMMARY_JSON"));
        Files.createDirectories(dir.resolve("s"));
        Files.writeString(dir.resolve("s/summary.json"), "{\"members\": [{\"seed\": 1, \"epoch\": 3, \"layers\": [{\"layer\": 1, \"alpha\": 1.5}]}], "
                + "\"findings\": []}");
        Files.writeString(page, "<!-- tables from: Toy=s/summary.json -->\n<!-- tables end -->\n");
        String missing = assertThrows(IOException.class, () -> FindingsTables.read(page, dir)).getMessage();
        assertTrue(missing.contains("summary.json: member seed 1, a layer has no number \"cleanAccuracy\""), missing);
        Files.writeString(page, "no block\n");
        assertTrue(assertThrows(IOException.class, () -> FindingsTables.read(page, dir)).getMessage().contains("no block"));
    }

    /** docs/FINDINGS.md's tables are what `lab tables docs/FINDINGS.md` draws from the committed summaries (tests run in report/). */
    @Test
    void theFindingsPageHoldsTheTablesItsSummariesGive() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        for (FindingsTables.Block block : FindingsTables.read(root.resolve("docs/FINDINGS.md"), root)) {
            assertEquals(block.drawn(), block.current(), "docs/FINDINGS.md: run ./lab tables docs/FINDINGS.md");
        }
    }
}
