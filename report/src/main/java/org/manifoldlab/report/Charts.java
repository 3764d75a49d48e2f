package org.manifoldlab.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.nio.file.Files;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** XChart line and scatter charts in one house style, written as PNG and SVG. Headless. */
final class Charts {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    static final int WIDTH = 760;
    static final int HEIGHT = 520;

    /** Tableau 10: one colour per layer, the same layer the same colour in every chart. */
    private static final Color[] PALETTE = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F),
        new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0xBAB0AC)};
    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
        SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN};

    static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
    static final BasicStroke DOTTED = new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {2f, 3f}, 0f);

    private Charts() {
    }

    static Color layerColor(int layer) {
        return PALETTE[Math.floorMod(layer - 1, PALETTE.length)];
    }

    static Marker memberMarker(int member) {
        return MARKERS[Math.floorMod(member, MARKERS.length)];
    }

    static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        XYStyler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(Color.GRAY);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        s.setMarkerSize(7);
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setPlotGridLinesColor(new Color(0xE6E6E6));
        s.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        return chart;
    }

    /**
     * An accuracy chart whose y axis is fitted to the data (and its error bars) by XChart: a
     * fixed 0..1 axis flattened differences of 0.02 between layers into one line.
     */
    static XYChart accuracyChart(String title, String xTitle) {
        return chart(title, xTitle, "accuracy");
    }

    /** One bar per layer, for an attack measured at one strength only (a line needs two). */
    static CategoryChart barChart(String title, String xTitle, String yTitle, List<String> categories, List<Double> values) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        CategoryStyler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setLegendVisible(false);
        s.setLabelsVisible(true);
        s.setYAxisDecimalPattern("0.000");
        chart.addSeries(yTitle, categories, values).setFillColor(PALETTE[0]);
        return chart;
    }

    /** Point colours for members (sweep members, seeds): the same palette as layers, offset so member 1 is not layer 1's blue. */
    static Color memberColor(int member) {
        return PALETTE[Math.floorMod(member + 3, PALETTE.length)];
    }

    /** A line with markers in the layer's colour; NaN points are dropped. Null when nothing is left. */
    static XYSeries layerLine(XYChart chart, String name, int layer, List<Double> x, List<Double> y) {
        XYSeries s = add(chart, name, x, y);
        if (s != null) {
            s.setLineColor(layerColor(layer));
            s.setMarkerColor(layerColor(layer));
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        return s;
    }

    /** Adds the finite (x, y) pairs as a series; null (and no series) when there are none. */
    static XYSeries add(XYChart chart, String name, List<Double> x, List<Double> y) {
        int n = 0;
        double[] xs = new double[x.size()];
        double[] ys = new double[x.size()];
        boolean logX = chart.getStyler().isXAxisLogarithmic();
        boolean logY = chart.getStyler().isYAxisLogarithmic();
        for (int i = 0; i < x.size(); i++) {
            double a = x.get(i);
            double b = y.get(i);
            if (Double.isFinite(a) && Double.isFinite(b) && (!logX || a > 0) && (!logY || b > 0)) {
                xs[n] = a;
                ys[n] = b;
                n++;
            }
        }
        if (n == 0) {
            return null;
        }
        return chart.addSeries(name, java.util.Arrays.copyOf(xs, n), java.util.Arrays.copyOf(ys, n));
    }

    /**
     * PNG resolution: XChart scales the chart by DPI / 72, so the PNG is WIDTH x 150/72 = 1583
     * pixels wide. At 200 dpi ReportTest took 53 s against 22 s at 150: PNG encoding dominates a report.
     */
    static final int PNG_DPI = 150;

    /** Writes dir/base.png (at {@link #PNG_DPI}) and dir/base.svg (with its text as SVG text: {@link SvgText}). */
    static void save(Chart<?, ?> chart, Path dir, String base) throws IOException {
        BitmapEncoder.saveBitmapWithDPI(chart, dir.resolve(base + ".png").toString(), BitmapEncoder.BitmapFormat.PNG, PNG_DPI);
        Files.write(dir.resolve(base + ".svg"), SvgText.svg(chart));
    }
}
