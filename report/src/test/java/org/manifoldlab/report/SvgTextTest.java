package org.manifoldlab.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;

/** The SVGs carry their words as SVG text, where XChart alone would leave glyph outlines. */
class SvgTextTest {

    @TempDir
    Path dir;

    private static List<String> texts(String svg) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<text[^>]*>([^<]*)</text>").matcher(svg);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void titleAxesLegendTicksAndAnnotationsBecomeTextAndNothingElseIsLost() throws Exception {
        XYChart chart = Charts.accuracyChart("Clean accuracy vs alpha", "alpha (spectral decay exponent)");
        chart.addSeries("seed 1, network.readoutScale=0.5", new double[] {1.5, 2.5, 3.5}, new double[] {0.95, 0.94, 0.91});
        chart.addAnnotation(new AnnotationText("3", 3.5, 0.91, false));
        Charts.save(chart, dir, "c");
        String svg = Files.readString(dir.resolve("c.svg"));
        List<String> texts = texts(svg);
        assertTrue(texts.contains("Clean accuracy vs alpha"), texts.toString());
        assertTrue(texts.contains("alpha (spectral decay exponent)"), texts.toString());
        assertTrue(texts.contains("seed 1, network.readoutScale=0.5"), texts.toString());
        assertTrue(texts.contains("3"), "the layer label of a point: " + texts);
        assertTrue(svg.contains("transform=\"rotate(-90)\"") && texts.contains("accuracy"), "the y-axis title keeps its turn");
        long ticks = texts.stream().filter(t -> t.matches("[0-9.]+")).count();
        assertTrue(ticks >= 4, "tick labels of both axes as text: " + texts);
        // every remaining path is a line, marker or grid: none is filled with the text colour at a text's size
        Matcher paths = Pattern.compile("<path d=\"([^\"]*)\"").matcher(svg);
        int curved = 0;
        while (paths.find()) {
            curved += paths.group(1).contains("Q") && paths.group(1).length() > 2000 ? 1 : 0;  // glyph outlines are long quadratic paths
        }
        assertEquals(0, curved, "a glyph outline was left behind");
    }

    @Test
    void outlinesKnownFromEarlierChartsGiveTheSameBytesAsNoneKnown() throws Exception {
        List<byte[]> fresh = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            SvgText.forgetOutlines();
            fresh.add(SvgText.svg(sharing(i)));
        }
        // the second chart shares the first's title, fonts and most tick labels: drawn after it, it reuses their outlines
        SvgText.forgetOutlines();
        byte[] first = SvgText.svg(sharing(0));
        byte[] second = SvgText.svg(sharing(1));
        byte[] again = SvgText.svg(sharing(1));
        assertArrayEquals(fresh.get(0), first, "the first chart, drawn with no outline known");
        assertArrayEquals(fresh.get(1), second, "the second chart, drawn with the first's outlines known");
        assertArrayEquals(fresh.get(1), again, "the second chart, drawn with all its outlines known");
        assertTrue(texts(new String(second, StandardCharsets.UTF_8)).contains("seed 2"));
    }

    private static XYChart sharing(int i) {
        XYChart chart = Charts.accuracyChart("Clean accuracy vs alpha", "alpha (spectral decay exponent)");
        chart.addSeries("seed " + (i + 1), new double[] {1.5, 2.5, 3.5 + i}, new double[] {0.95, 0.94, 0.91 - 0.1 * i});
        return chart;
    }

    @Test
    void barChartCategoriesAndValueLabelsAreText() throws Exception {
        Charts.save(Charts.barChart("PGD, eps = 0.1", "layer", "accuracy", List.of("layer 1", "layer 2"), List.of(0.05, 0.109)), dir, "b");
        List<String> texts = texts(Files.readString(dir.resolve("b.svg")));
        assertTrue(texts.containsAll(List.of("PGD, eps = 0.1", "layer 1", "layer 2", "0.050", "0.109")), texts.toString());
    }
}
