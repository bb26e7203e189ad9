package io.seedtest.analytics.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.NumberFormat;
import java.text.SimpleDateFormat;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.MeetOrSlice;
import org.jfree.svg.PreserveAspectRatio;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * The report's three charts, drawn by JFreeChart into JFreeSVG and returned as inline
 * {@code <svg>} elements that scale to the page width (viewBox, no fixed size). Text inside the
 * charts is only numbers, dates and topic names, so the labels need no translation; what the
 * lines mean is said by the page around them. Everything that could vary between runs is fixed
 * (number and date formats, UTC, the SVG id prefix), so the same data gives the same bytes.
 */
final class ReportCharts {
  static final Color LINE = new Color(0x1f, 0x5f, 0xa8);
  static final Color GOAL = new Color(0xc2, 0x41, 0x0c);
  static final Color LAST_WEEK = new Color(0xb8, 0xc4, 0xd6);
  private static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  private static final int WIDTH = 420;
  /** Chart labels longer than this are cut (the topic table beside the chart shows the full name). */
  static final int LABEL_CHARS = 16;

  static {
    // JFreeChart measures text with AWT; a worker without a display must never try to open one.
    System.setProperty("java.awt.headless", "true");
  }

  private ReportCharts() {}

  /** θ per day with its 95% band (θ ± 1.96·SE) and the goal θ as a dashed line. */
  static String ability(List<StudentWeek.ThetaPoint> points, double goal, String id) {
    YIntervalSeries s = new YIntervalSeries("theta");
    for (StudentWeek.ThetaPoint p : points) {
      s.add(millis(p.day()), p.theta(), p.theta() - 1.96 * p.se(), p.theta() + 1.96 * p.se());
    }
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    data.addSeries(s);
    DeviationRenderer r = new DeviationRenderer(true, true);
    r.setSeriesPaint(0, LINE);
    r.setSeriesFillPaint(0, LINE);
    r.setAlpha(0.18f);
    styleLine(r);
    XYPlot plot = new XYPlot(data, dateAxis(), numberAxis("0.0"), r);
    ValueMarker target = new ValueMarker(goal, GOAL, new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
        10f, new float[] {6f, 4f}, 0f));
    plot.addRangeMarker(target);
    NumberAxis y = (NumberAxis) plot.getRangeAxis();
    y.setAutoRangeIncludesZero(false);
    // keep the goal line inside the chart even when she is far below it
    double lo = points.stream().mapToDouble(p -> p.theta() - 1.96 * p.se()).min().orElse(goal - 1);
    double hi = points.stream().mapToDouble(p -> p.theta() + 1.96 * p.se()).max().orElse(goal + 1);
    y.setRange(Math.min(lo, goal) - 0.2, Math.max(hi, goal) + 0.2);
    return svg(chart(plot), WIDTH, 240, id);
  }

  /** P (goal probability) per week, on a fixed 0–100% axis. */
  static String goalProbability(List<StudentWeek.WeekValue> weeks, String id) {
    XYSeries s = new XYSeries("p");
    for (StudentWeek.WeekValue w : weeks) {
      s.add(millis(w.weekEnding()), w.value());
    }
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    r.setSeriesPaint(0, LINE);
    styleLine(r);
    NumberAxis y = numberAxis("0%");
    y.setRange(0.0, 1.0);
    y.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(0.25));
    XYPlot plot = new XYPlot(new XYSeriesCollection(s), dateAxis(), y, r);
    return svg(chart(plot), WIDTH, 240, id);
  }

  /** Accuracy per topic, this week (dark) beside last week (light); topics without answers show no bar. */
  static String topics(List<TopicWeek> topics, String id) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (TopicWeek t : topics) {
      String label = label(t.topic());
      data.addValue(t.accuracyWeek(), "week", label);
      data.addValue(t.accuracyPrev(), "previous", label);
    }
    BarRenderer r = new BarRenderer();
    r.setBarPainter(new StandardBarPainter());
    r.setShadowVisible(false);
    r.setSeriesPaint(0, LINE);
    r.setSeriesPaint(1, LAST_WEEK);
    r.setItemMargin(0.05);
    CategoryAxis x = new CategoryAxis();
    x.setTickLabelFont(TICKS);
    x.setTickMarksVisible(false);
    x.setCategoryMargin(0.25);
    NumberAxis y = numberAxis("0%");
    y.setRange(0.0, 1.0);
    y.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(0.25));
    CategoryPlot plot = new CategoryPlot(data, x, y, r);
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
    return svg(chart(plot), WIDTH, 60 + 34 * Math.max(1, topics.size()), id);
  }

  /** A topic name as a chart label: at most {@link #LABEL_CHARS} characters (code points), then "…". */
  static String label(String topic) {
    int n = topic.codePointCount(0, topic.length());
    return n <= LABEL_CHARS ? topic : topic.substring(0, topic.offsetByCodePoints(0, LABEL_CHARS - 1)) + "…";
  }

  private static void styleLine(XYLineAndShapeRenderer r) {
    r.setSeriesStroke(0, new BasicStroke(2.5f));
    r.setSeriesShape(0, new Ellipse2D.Double(-4, -4, 8, 8));
    r.setSeriesShapesFilled(0, true);
    r.setDrawOutlines(false);
  }

  private static JFreeChart chart(org.jfree.chart.plot.Plot plot) {
    if (plot instanceof XYPlot xy) {
      xy.setBackgroundPaint(Color.WHITE);
      xy.setRangeGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
      xy.setDomainGridlinesVisible(false);
    }
    plot.setOutlineVisible(false);
    plot.setInsets(new RectangleInsets(6, 4, 4, 12));
    JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setPadding(new RectangleInsets(0, 0, 0, 0));
    return chart;
  }

  private static DateAxis dateAxis() {
    DateAxis x = new DateAxis();
    x.setTimeZone(TimeZone.getTimeZone(ZoneOffset.UTC));
    SimpleDateFormat f = new SimpleDateFormat("M/d", Locale.ROOT);
    f.setTimeZone(TimeZone.getTimeZone(ZoneOffset.UTC));
    x.setDateFormatOverride(f);
    x.setTickLabelFont(TICKS);
    x.setTickMarksVisible(false);
    x.setLowerMargin(0.03);
    x.setUpperMargin(0.03);
    return x;
  }

  private static NumberAxis numberAxis(String pattern) {
    NumberAxis y = new NumberAxis();
    NumberFormat f = new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT));
    y.setNumberFormatOverride(f);
    y.setTickLabelFont(TICKS);
    y.setTickMarksVisible(false);
    y.setAxisLineVisible(false);
    return y;
  }

  /** {@code v} rounded to one decimal, written without exponent or locale ("12.3", "-0.5", "7"). */
  static String tenth(double v) {
    long t = Math.round(v * 10);
    long whole = Math.abs(t) / 10;
    long frac = Math.abs(t) % 10;
    return (t < 0 ? "-" : "") + whole + (frac == 0 ? "" : "." + frac);
  }

  private static double millis(LocalDate d) {
    return d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  /** The chart as an {@code <svg>} element scaled by the page (viewBox), ids prefixed by {@code id}. */
  private static String svg(JFreeChart chart, int width, int height, String id) {
    SVGGraphics2D g = new SVGGraphics2D(width, height);
    g.setDefsKeyPrefix(id + "-");
    // a tenth of a pixel is finer than any screen shows; JFreeSVG's default writes 15 digits
    g.setGeomDoubleConverter(ReportCharts::tenth);
    g.setTransformDoubleConverter(ReportCharts::tenth);
    chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
    return g.getSVGElement(id, false, new ViewBox(0, 0, width, height), PreserveAspectRatio.XMID_YMID,
        MeetOrSlice.MEET);
  }
}
