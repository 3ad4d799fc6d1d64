package io.gridchain.bench.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.Rectangle2D;
import java.text.AttributedCharacterIterator;
import java.text.AttributedString;
import java.text.CharacterIterator;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.LogTick;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CrosshairState;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYItemRendererState;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * The benchmarks' charts as SVG documents: JFreeChart draws them into JFreeSVG's {@link SVGGraphics2D}, so the
 * text stays text (searchable, and checked by the tests) and the file needs no display to be made.
 */
public final class SvgCharts {
    static {
        // the CLI runs on machines without a display: AWT must not look for one before the first chart
        System.setProperty("java.awt.headless", "true");
        // by default JFreeChart draws axis titles and tick labels as glyph outlines (a workaround for old JREs'
        // rotated text): in an SVG they would be paths, not text a reader can search or copy
        TextUtils.setUseDrawRotatedStringWorkaround(false);
    }

    static final int WIDTH = 800;
    static final int HEIGHT = 500;

    /** Okabe and Ito's colours: colour-blind readers tell them apart, and all are dark enough on white. */
    private static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73),
        new Color(0xCC79A7), new Color(0xE69F00), new Color(0x56B4E9)};

    /** One point of a series. */
    public record Point(double x, double y) {}

    /** A named series of points, drawn in the order given. */
    public record Series(String name, List<Point> points) {}

    /**
     * An axis: its title, and whether it turns logarithmic when its values are all positive and span a factor of
     * ten or more (error rates from 1e-5 to 1e-3, or costs from 1.2 to 20 results per task, would otherwise sit
     * on the axis); a linear axis otherwise, from zero unless it may turn logarithmic.
     */
    public record Axis(String title, boolean logIfSpansDecade) {}

    /** A horizontal line across the plot at {@code y}, e.g. a target, labelled. */
    public record Reference(double y, String label) {}

    /**
     * A chart of series: title, subtitle (may be empty), axes, an optional reference line ({@code null}: none), and
     * whether each point gets a mark (a shape) besides the line through them.
     */
    public record Chart(String title, String subtitle, Axis x, Axis y, List<Series> series, Reference reference,
            boolean marks) {
        public Chart {
            series = List.copyOf(series);
        }
    }

    private SvgCharts() {}

    /** The chart as an SVG document: lines (and marks) one series each, a legend, the axes' titles. */
    public static String svg(Chart chart) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Series s : chart.series()) {
            // autoSort off: a series' line joins its points in the order given, not by x
            XYSeries xy = new XYSeries(s.name(), false, true);
            for (Point p : s.points()) xy.add(p.x(), p.y());
            data.addSeries(xy);
        }
        JFreeChart jfc = ChartFactory.createXYLineChart(chart.title(), chart.x().title(), chart.y().title(), data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = jfc.getXYPlot();
        MarkedPoints renderer = new MarkedPoints(chart.marks());
        for (int i = 0; i < chart.series().size(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesStroke(i, new BasicStroke(1.5f));
        }
        plot.setRenderer(renderer);
        plot.setDomainAxis(axis(chart.x(), chart.series(), null, true));
        plot.setRangeAxis(axis(chart.y(), chart.series(), chart.reference(), false));
        if (chart.reference() != null) {
            ValueMarker marker = new ValueMarker(chart.reference().y(), Color.GRAY,
                    new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
            marker.setLabel(chart.reference().label());
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
            plot.addRangeMarker(marker);
        }
        return render(jfc, chart.subtitle());
    }

    /** The axis over the series' values and the reference line's, if any: a target off the chart says nothing. */
    private static ValueAxis axis(Axis axis, List<Series> series, Reference reference, boolean x) {
        double min = reference == null ? Double.POSITIVE_INFINITY : reference.y();
        double max = reference == null ? Double.NEGATIVE_INFINITY : reference.y();
        for (Series s : series) {
            for (Point p : s.points()) {
                double v = x ? p.x() : p.y();
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (axis.logIfSpansDecade() && min > 0 && max / min >= 10) {
            LogAxis log = new TextLabelledLogAxis(axis.title());
            log.setSmallestValue(min / 2);
            log.setNumberFormatOverride(
                    new DecimalFormat(x ? "0.#" : "0.#E0", DecimalFormatSymbols.getInstance(Locale.ROOT)));
            log.setRange(min / 2, max * 2);
            // the benches put costs on x and rates on y: powers of ten for rates, 1, 2, 4, 8, 16 for costs, whose
            // span is a decade or two (the automatic choice labels every tenth of a decade, and the labels collide)
            log.setTickUnit(new NumberTickUnit(x ? Math.log10(2) : 1));
            log.setMinorTickMarksVisible(!x);
            return log;
        }
        NumberAxis linear = new NumberAxis(axis.title());
        linear.setAutoRangeIncludesZero(!axis.logIfSpansDecade());
        return linear;
    }

    private static String render(JFreeChart chart, String subtitle) {
        if (subtitle != null && !subtitle.isBlank()) {
            chart.addSubtitle(new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
        }
        chart.setBackgroundPaint(Color.WHITE);
        chart.getXYPlot().setBackgroundPaint(Color.WHITE);
        chart.getXYPlot().setDomainGridlinePaint(Color.LIGHT_GRAY);
        chart.getXYPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
        SVGGraphics2D g2 = new SVGGraphics2D(WIDTH, HEIGHT);
        chart.draw(g2, new Rectangle(0, 0, WIDTH, HEIGHT));
        // the element alone, without getSVGDocument()'s DOCTYPE: an XML reader would go to the network for its DTD
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + g2.getSVGElement() + "\n";
    }

    /**
     * A log axis whose tick labels are plain strings: LogAxis labels its ticks with attributed strings, which
     * JFreeChart draws as glyph outlines, so an SVG reader would find no number on the axis.
     */
    private static final class TextLabelledLogAxis extends LogAxis {
        TextLabelledLogAxis(String title) {
            super(title);
        }

        @Override
        public List<ValueTick> refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
            List<ValueTick> ticks = new ArrayList<>();
            for (Object tick : super.refreshTicks(g2, state, dataArea, edge)) {
                if (tick instanceof LogTick log) {
                    ticks.add(new NumberTick(log.getTickType(), log.getValue(), text(log.getAttributedLabel()),
                            log.getTextAnchor(), log.getRotationAnchor(), log.getAngle()));
                } else {
                    ticks.add((ValueTick) tick);
                }
            }
            return ticks;
        }

        private static String text(AttributedString label) {
            if (label == null) return "";
            StringBuilder text = new StringBuilder();
            AttributedCharacterIterator it = label.getIterator();
            for (char c = it.first(); c != CharacterIterator.DONE; c = it.next()) text.append(c);
            return text.toString();
        }
    }

    /**
     * Lines and shapes, each point's shape in its own SVG group: the plain renderer leaves points anonymous,
     * and a reader (or a test) of the file could not tell which marks belong to which series.
     */
    private static final class MarkedPoints extends XYLineAndShapeRenderer {
        MarkedPoints(boolean shapes) {
            super(true, shapes);
        }

        @Override
        public void drawItem(Graphics2D g2, XYItemRendererState state, Rectangle2D dataArea,
                PlotRenderingInfo info, XYPlot plot, ValueAxis domainAxis, ValueAxis rangeAxis, XYDataset dataset,
                int series, int item, CrosshairState crosshairState, int pass) {
            boolean shapes = getDefaultShapesVisible() && isItemPass(pass);
            if (shapes) beginElementGroup(g2, dataset.getSeriesKey(series), item);
            super.drawItem(g2, state, dataArea, info, plot, domainAxis, rangeAxis, dataset, series, item,
                    crosshairState, pass);
            if (shapes) endElementGroup(g2);
        }
    }
}
