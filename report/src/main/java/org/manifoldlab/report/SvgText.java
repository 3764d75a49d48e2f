package org.manifoldlab.report;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.intermediate.CommandSequence;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

/**
 * An SVG of an XChart chart whose text is SVG text. XChart draws every string as the filled
 * outline of its TextLayout, so the vector encoder only ever sees paths. Here the chart's strings
 * (title, axis titles, tick labels, legend entries, annotations, bar labels) are laid out again in
 * each of the styler's fonts with the same FontRenderContext; a path whose outline is exactly one
 * of them (same path data, VectorGraphics2D's own serialisation) becomes a text element at the
 * same baseline origin in that font and fill (the y-axis title, which XChart lays out turned by
 * -90 degrees, keeps the turn). A path that matches nothing stays an outline, so nothing is lost.
 */
final class SvgText {

    private static final Pattern PATH = Pattern.compile("<path d=\"([^\"]*)\"([^>]*?)/>");
    private static final Pattern FILL = Pattern.compile("fill:(rgb\\([^)]*\\))");
    private static final AffineTransform ROTATE = AffineTransform.getRotateInstance(-Math.PI / 2, 0, 0);
    private static final Pattern OPACITY = Pattern.compile("fill-opacity:([0-9.]+)");

    /**
     * The path data of each candidate's outline under each pair of text hints. The same strings
     * in the same fonts (tick labels, axis titles, series names) recur in every chart of a
     * report, and laying them out again for each chart made ReportTest's CPU 30% larger; an
     * outline depends only on its key, so a report lays each out once. Cleared when it passes
     * {@link #OUTLINES_MAX} entries, so a long-lived process (lab serve) keeps it bounded.
     */
    private static final Map<Outline, String> OUTLINES = new ConcurrentHashMap<>();
    private static final int OUTLINES_MAX = 20_000;

    private record Outline(Text text, AffineTransform transform, boolean antialiased, boolean fractional) {
    }

    /**
     * layout: the transform XChart lays the outline out with (null: none; -90 degrees for the
     * y-axis title; an identity for bar labels, whose outline is then a double-precision path).
     */
    private record Text(String text, Font font, AffineTransform layout) {

        boolean rotated() {
            return layout != null && layout.getShearX() != 0;
        }
    }

    private SvgText() {
    }

    /** Forgets every outline laid out so far (tests compare a chart drawn with none known and with all known). */
    static void forgetOutlines() {
        OUTLINES.clear();
    }

    static byte[] svg(Chart<?, ?> chart) throws IOException {
        int w = chart.getWidth();
        int h = chart.getHeight();
        chart.paint(new VectorGraphics2D(), w, h);  // lays the chart out, so its tick labels exist
        VectorGraphics2D g = new VectorGraphics2D();
        chart.paint(g, w, h);
        String svg = render(g.getCommands(), w, h);
        FontRenderContext frc = g.getFontRenderContext();
        List<Text> candidates = new ArrayList<>();
        for (Font font : fonts(chart.getStyler())) {
            for (String s : strings(chart)) {
                candidates.add(new Text(s, font, null));
            }
        }
        if (chart.getStyler() instanceof AxesChartStyler a && chart.getYAxisTitle() != null && !chart.getYAxisTitle().isBlank()) {
            candidates.add(new Text(chart.getYAxisTitle(), a.getAxisTitleFont(), ROTATE));
        }
        if (chart.getStyler() instanceof CategoryStyler c && c.getLabelsRotation() == 0) {
            for (String s : strings(chart)) {
                candidates.add(new Text(s, c.getLabelsFont(), new AffineTransform()));
            }
        }
        // XChart changes rendering hints between parts (bar labels are laid out without fractional
        // metrics): while paths are left unmatched, the candidates are laid out again with the other
        // combinations of the two text hints
        Set<String> paths = new HashSet<>();
        Matcher all = PATH.matcher(svg);
        while (all.find()) {
            paths.add(all.group(1));
        }
        Map<String, Text> byPath = new HashMap<>();
        for (boolean antialiased : new boolean[] {frc.isAntiAliased(), !frc.isAntiAliased()}) {
            for (boolean fractional : new boolean[] {frc.usesFractionalMetrics(), !frc.usesFractionalMetrics()}) {
                if (!anyTextLeft(paths, byPath)) {
                    break;
                }
                FontRenderContext context = new FontRenderContext(frc.getTransform(), antialiased, fractional);
                List<Outline> keys = new ArrayList<>();
                Map<Outline, String> outlineOf = new HashMap<>();
                List<Outline> missing = new ArrayList<>();
                for (Text t : candidates) {
                    Outline key = new Outline(t, context.getTransform(), antialiased, fractional);
                    keys.add(key);
                    String known = OUTLINES.get(key);
                    if (known != null) {
                        outlineOf.put(key, known);
                    } else {
                        missing.add(key);
                    }
                }
                if (!missing.isEmpty()) {
                    VectorGraphics2D outlines = new VectorGraphics2D();
                    for (Outline key : missing) {
                        outlines.fill(new TextLayout(key.text().text(), key.text().font(), context).getOutline(key.text().layout()));
                    }
                    if (OUTLINES.size() > OUTLINES_MAX) {
                        OUTLINES.clear();
                    }
                    Matcher cm = PATH.matcher(render(outlines.getCommands(), 10, 10));
                    for (int i = 0; cm.find() && i < missing.size(); i++) {
                        outlineOf.put(missing.get(i), cm.group(1));
                        OUTLINES.put(missing.get(i), cm.group(1));
                    }
                }
                for (Outline key : keys) {
                    String path = outlineOf.get(key);
                    if (path != null) {
                        byPath.putIfAbsent(path, key.text());
                    }
                }
            }
        }
        Matcher m = PATH.matcher(svg);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Text t = byPath.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(t == null ? m.group() : text(t, m.group(2))));
        }
        m.appendTail(out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Whether some path of the chart could still be unrecognised text: a curved one (glyphs have quadratic segments). */
    private static boolean anyTextLeft(Set<String> paths, Map<String, Text> known) {
        return paths.stream().anyMatch(d -> d.contains("Q") && !known.containsKey(d));
    }

    private static String text(Text t, String attributes) {
        Matcher fill = FILL.matcher(attributes);
        Matcher opacity = OPACITY.matcher(attributes);
        String style = "font-family:'" + t.font().getFamily() + "',sans-serif;font-size:" + t.font().getSize2D() + "px;"
                + (t.font().isBold() ? "font-weight:bold;" : "") + "fill:" + (fill.find() ? fill.group(1) : "rgb(0,0,0)") + ";"
                + (opacity.find() ? "fill-opacity:" + opacity.group(1) + ";" : "");
        String clip = attributes.contains("clip-path") ? attributes.replaceAll(".*(clip-path=\"[^\"]*\").*", " $1") : "";
        return "<text x=\"0\" y=\"0\"" + (t.rotated() ? " transform=\"rotate(-90)\"" : "") + " style=\"" + style + "\"" + clip + ">"
                + escape(t.text()) + "</text>";
    }

    private static String render(CommandSequence commands, int w, int h) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new SVGProcessor().getDocument(commands, new PageSize(0, 0, w, h)).writeTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Set<Font> fonts(Styler s) {
        Set<Font> fonts = new LinkedHashSet<>(List.of(s.getChartTitleFont(), s.getLegendFont(), s.getAnnotationTextFont()));
        if (s instanceof AxesChartStyler a) {
            fonts.add(a.getAxisTitleFont());
            fonts.add(a.getAxisTickLabelsFont());
        }
        if (s instanceof CategoryStyler c) {
            fonts.add(c.getLabelsFont());
        }
        return fonts;
    }

    /** Every string the chart may draw. */
    private static Set<String> strings(Chart<?, ?> chart) {
        Set<String> out = new LinkedHashSet<>();
        out.add(chart.getTitle());
        out.add(chart.getXAxisTitle());
        out.add(chart.getYAxisTitle());
        out.addAll(chart.getSeriesMap().keySet());
        out.addAll(tickLabels(chart));
        annotations(chart, out);
        if (chart instanceof CategoryChart bars) {
            java.text.Format format = new DecimalFormat(bars.getStyler().getYAxisDecimalPattern());
            try {  // the format XChart labels bars with (package-private)
                Method m = Chart.class.getDeclaredMethod("getYAxisFormat");
                m.setAccessible(true);
                format = (java.text.Format) m.invoke(chart);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // keep the styler's pattern
            }
            java.text.Format f = format;
            bars.getSeriesMap().values().forEach(series -> series.getYData().forEach(v -> out.add(f.format(v))));
        }
        out.removeIf(s -> s == null || s.isBlank());
        return out;
    }

    /** Tick labels of both axes, from XChart's own tick calculators (package-private for the y axis: reflection). */
    private static List<String> tickLabels(Chart<?, ?> chart) {
        List<String> out = new ArrayList<>();
        for (String getter : List.of("getXAxis", "getYAxis")) {
            try {
                Method m = Chart.class.getDeclaredMethod(getter);
                m.setAccessible(true);
                Object axis = m.invoke(chart);
                Object calculator = axis.getClass().getMethod("getAxisTickCalculator").invoke(axis);
                @SuppressWarnings("unchecked")
                List<String> labels = (List<String>) calculator.getClass().getMethod("getTickLabels").invoke(calculator);
                out.addAll(labels);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // an XChart without these internals: its tick labels stay outlines
            }
        }
        return out;
    }

    private static void annotations(Chart<?, ?> chart, Set<String> out) {
        try {
            Field f = Chart.class.getDeclaredField("annotations");
            f.setAccessible(true);
            for (Object a : (List<?>) f.get(chart)) {
                if (a instanceof org.knowm.xchart.AnnotationText) {
                    Field text = org.knowm.xchart.AnnotationText.class.getDeclaredField("text");
                    text.setAccessible(true);
                    out.add((String) text.get(a));
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // annotations stay outlines
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
