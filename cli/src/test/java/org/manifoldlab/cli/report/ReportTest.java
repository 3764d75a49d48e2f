package org.manifoldlab.cli.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.cli.ExitCodes;
import org.manifoldlab.cli.Lab;
import org.manifoldlab.report.RunFixture;
import org.w3c.dom.Document;

class ReportTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final Pattern REFERENCE = Pattern.compile("(?:src|href)=\"([^\"]*)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void runReportDrawsEveryPlotAsPngAndSvgAndTestsTheFindings() throws Exception {
        Path run = RunFixture.write(tmp.resolve("fixture-run"), 1);
        Path out = tmp.resolve("out");
        assertEquals(0, Lab.execute("report", run.toString(), "--out", out.toString()));

        Set<String> expected = Set.of("spectrum-layer1", "spectrum-layer2", "spectrum-layer3", "alpha-over-training",
                "participation-ratio-over-training", "test-accuracy-over-training", "accuracy-vs-sigma-gaussian",
                "accuracy-vs-eps-fgsm", "accuracy-vs-eps-pgd", "accuracy-vs-alpha-clean",
                "accuracy-vs-alpha-gaussian-sigma-0", "accuracy-vs-alpha-gaussian-sigma-0.1", "accuracy-vs-alpha-gaussian-sigma-0.3",
                "accuracy-vs-alpha-fgsm-eps-0", "accuracy-vs-alpha-fgsm-eps-0.05", "accuracy-vs-alpha-fgsm-eps-0.1",
                "training-time-clean", "training-time-gaussian-0.3", "training-time-fgsm-0.1", "training-time-pgd-0.1");
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        Set<String> listed = new HashSet<>();
        summary.get("figures").forEach(f -> listed.add(f.get("png").asText().replace(".png", "")));
        assertEquals(expected, listed);
        for (String base : expected) {
            assertValidPng(out.resolve(base + ".png"));
            assertValidSvg(out.resolve(base + ".svg"));
        }
        assertReferencesExist(out.resolve("index.html"), 2 * expected.size());
        // PGD at its one eps is a bar per layer; accuracy-vs-alpha panels carry binomial error bars
        Map<String, String> captions = new java.util.HashMap<>();
        summary.get("figures").forEach(f -> captions.put(f.get("png").asText().replace(".png", ""), f.get("caption").asText()));
        assertTrue(captions.get("accuracy-vs-eps-pgd").contains("at its one eps"), captions.get("accuracy-vs-eps-pgd"));
        assertTrue(captions.get("accuracy-vs-alpha-clean").contains("95% binomial interval"), captions.get("accuracy-vs-alpha-clean"));
        assertTrue(Files.readString(out.resolve("index.html")).contains("epoch 2 layer 3 pgd 0.1: pgd-above-fgsm"), "a marked row is named");

        assertEquals("run", summary.get("kind").asText());
        JsonNode findings = summary.get("findings");
        assertEquals(3, findings.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(i + 1, findings.get(i).get("number").asInt());
            assertTrue(findings.get(i).get("supported").isBoolean());
            assertFalse(findings.get(i).get("criterion").asText().isBlank());
            assertFalse(findings.get(i).get("statement").asText().isBlank());
        }
        // 3 layers in perfect order: rho = 1 (description), but one run is one seed: no interval, no verdict
        assertEquals(1.0, findings.get(0).get("pooled").get("rho").asDouble(), 1e-12);
        for (int i = 0; i < 3; i++) {
            assertEquals("inconclusive", findings.get(i).get("verdict").asText());
            assertTrue(findings.get(i).get("evidence").get("unavailable").asText().contains("1 seed"), findings.get(i).toString());
        }
        // FGSM eps 0.05: accuracies .31 .51 .21 by rising alpha: pairs (1,3) and (2,3) drop, (1,2) rises
        JsonNode eps005 = findings.get(2).get("strengths").get(0);
        assertEquals(0.05, eps005.get("strength").asDouble(), 0);
        assertEquals(1, eps005.get("violations").asInt());
        assertEquals(3, eps005.get("pairs").asInt());
        assertEquals("non-monotonic", eps005.get("state").asText());
        // the layer table carries the last epoch's numbers, the NaN l2 and inf linf did not break anything
        JsonNode layer3 = summary.get("members").get(0).get("layers").get(2);
        assertEquals(1.25, layer3.get("alpha").asDouble(), 1e-12);
        assertEquals(0.91, layer3.get("cleanAccuracy").asDouble(), 1e-12);
        assertEquals(0.94, layer3.get("linearProbeAccuracy").asDouble(), 1e-12);
        assertTrue(Files.readString(out.resolve("index.html")).contains("linear probe accuracy"));
        assertEquals(2, summary.get("members").get(0).get("epoch").asInt());
    }

    @Test
    void sweepReportPoolsMembersGivesSeedIntervalsAndLinksMemberReports() throws Exception {
        Path sweep = tmp.resolve("sweep");
        for (int seed = 1; seed <= 3; seed++) {
            RunFixture.write(sweep.resolve("fixture-00" + seed), seed);
        }
        Files.writeString(sweep.resolve("index.json"), "{\"members\": [\"fixture-001\", \"fixture-002\", \"fixture-003\"]}");
        assertEquals(0, Lab.execute("report", sweep.toString()));
        Path out = sweep.resolve("report");

        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals("sweep", summary.get("kind").asText());
        assertEquals(3, summary.get("members").size());
        // three seeds, layers 0.05 apart on 2,000 probes: every pair differs, in alpha's direction
        JsonNode f1 = summary.get("findings").get(0);
        assertEquals("supported", f1.get("verdict").asText(), f1.get("statement").asText());
        assertEquals(3, f1.get("evidence").get("seeds").asInt());
        assertEquals(0.10, f1.get("evidence").get("strengths").get(0).get("pairs").get(1).get("difference").asDouble(), 1e-9);
        // Gaussian (plain accuracy) rises with alpha at sigma 0.1 and 0.3; FGSM (robust) peaks in the middle
        assertEquals("supported", summary.get("findings").get(1).get("verdict").asText());
        assertEquals("supported", summary.get("findings").get(2).get("verdict").asText());
        assertEquals("not monotonic", summary.get("findings").get(2).get("evidence").get("strengths").get(0).get("order").asText());
        // per layer across seeds: alpha of layer 1 is 0.85, 0.90, 0.95 -> mean 0.9, sd 0.05, t(0.975, 2) = 4.302653
        JsonNode layer1 = summary.get("groups").get(0).get("layers").get(0).get("alpha");
        assertEquals(0.9, layer1.get("mean").asDouble(), 1e-12);
        assertEquals(0.9 - 4.302652730 * 0.05 / Math.sqrt(3), layer1.get("lo").asDouble(), 1e-8);

        List<Path> pages = new ArrayList<>(List.of(out.resolve("index.html")));
        pages.add(out.resolve("members/fixture-001/index.html"));
        pages.add(out.resolve("members/fixture-002/index.html"));
        pages.add(out.resolve("members/fixture-003/index.html"));
        for (Path page : pages) {
            assertReferencesExist(page, 10);
        }
        try (Stream<Path> files = Files.walk(out)) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            long pngs = all.stream().filter(p -> p.toString().endsWith(".png")).count();
            assertTrue(pngs > 30, "pngs: " + pngs);
            for (Path p : all) {
                if (p.toString().endsWith(".png")) {
                    assertValidPng(p);
                    assertValidSvg(Path.of(p.toString().replaceAll("\\.png$", ".svg")));
                }
            }
        }
    }

    @Test
    void twoSeedsGiveNoIntervalAndTwoRunsOfOneNetworkCountOnce() throws Exception {
        Path sweep = tmp.resolve("dup");
        RunFixture.write(sweep.resolve("a-1"), 1);
        RunFixture.write(sweep.resolve("a-2"), 2);
        RunFixture.write(sweep.resolve("b-2-again"), 2);  // same spec and seed, same fingerprint: the same network
        assertEquals(0, Lab.execute("report", sweep.toString()));
        JsonNode summary = JSON.readTree(sweep.resolve("report/summary.json").toFile());
        assertEquals(2, summary.get("members").size(), "the duplicate is counted once");
        assertTrue(Files.readString(sweep.resolve("report/index.html")).contains("counted once"));
        JsonNode f1 = summary.get("findings").get(0);
        assertEquals("inconclusive", f1.get("verdict").asText());
        assertEquals(2, f1.get("evidence").get("seeds").asInt());
        assertTrue(f1.get("evidence").get("unavailable").asText().contains("2 seeds"));
        assertTrue(summary.get("groups").get(0).get("layers").get(0).get("alpha").get("lo").isNull(), "no interval from 2 seeds");
    }

    @Test
    void runsWithDifferentSettingsArePooledOnlyWithPool() throws Exception {
        Path sweep = tmp.resolve("scales");
        for (int seed = 1; seed <= 3; seed++) {
            RunFixture.write(sweep.resolve("s" + seed + "-half"), seed, 0.5);
            RunFixture.write(sweep.resolve("s" + seed + "-two"), seed, 2.0);
        }
        assertEquals(2, Lab.execute("report", sweep.toString()), "different readout scales need --pool");
        assertEquals(0, Lab.execute("report", sweep.toString(), "--pool"));
        JsonNode summary = JSON.readTree(sweep.resolve("report/summary.json").toFile());
        assertEquals(6, summary.get("members").size());
        assertEquals(3, summary.get("findings").get(0).get("evidence").get("seeds").asInt(), "six runs, three independent seeds");
    }

    @Test
    void aDirectoryThatIsNeitherARunNorASweepIsBadInput() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertEquals(ExitCodes.BAD_INPUT, Lab.execute("report", empty.toString()));
        assertFalse(Files.exists(empty.resolve("report")));
        assertEquals(ExitCodes.BAD_INPUT, Lab.execute("report", tmp.resolve("missing").toString()));
    }

    @Test
    void aMalformedCsvIsBadInputNamingTheFile() throws Exception {
        Path run = RunFixture.write(tmp.resolve("broken"), 1);
        Files.writeString(run.resolve("metrics/robustness.csv"), "epoch,layer,attack,strength,accuracy\n1,1,gaussian,zero,0.5\n1,1,gaussian,0.1,0.4\n");
        assertEquals(ExitCodes.BAD_INPUT, Lab.execute("report", run.toString()));
        Files.writeString(run.resolve("metrics/robustness.csv"), "epoch,layer,strength,accuracy\n");
        assertEquals(ExitCodes.BAD_INPUT, Lab.execute("report", run.toString()));
    }


    static void assertValidPng(Path png) throws IOException {
        assertTrue(Files.isRegularFile(png), png + " missing");
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 1000, png + " is only " + bytes.length + " bytes");
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, 8), png + " is not a PNG");
        // 150 dpi or more: the 760-point-wide chart is at least 760 x 150 / 72 = 1583 pixels wide (IHDR width at byte 16)
        int width = java.nio.ByteBuffer.wrap(bytes, 16, 4).getInt();
        assertTrue(width >= 760 * 150 / 72, png + " is " + width + " pixels wide");
    }

    static void assertValidSvg(Path svg) throws Exception {
        assertTrue(Files.isRegularFile(svg), svg + " missing");
        assertTrue(Files.size(svg) > 0, svg + " is empty");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);  // never fetch the SVG DTD
        try (InputStream in = Files.newInputStream(svg)) {
            Document doc = factory.newDocumentBuilder().parse(in);
            assertEquals("svg", doc.getDocumentElement().getTagName(), svg + " root");
            assertTrue(doc.getElementsByTagName("*").getLength() > 20, svg + " has almost no elements");
            assertTrue(doc.getElementsByTagName("text").getLength() >= 3, svg + ": title and axis labels are not SVG text");
        }
    }

    /** Every src and href of the page names a file that exists, and there are at least {@code atLeast} of them. */
    static void assertReferencesExist(Path page, int atLeast) throws IOException {
        String html = Files.readString(page);
        Matcher m = REFERENCE.matcher(html);
        int count = 0;
        while (m.find()) {
            String ref = m.group(1).replace("&amp;", "&");
            assertFalse(ref.isEmpty() || ref.contains(":") || ref.startsWith("#"), page + ": reference " + ref + " is not a local file");
            assertTrue(Files.isRegularFile(page.resolveSibling(ref).normalize()), page + " references missing " + ref);
            count++;
        }
        assertTrue(count >= atLeast, page + ": only " + count + " references");
    }
}
