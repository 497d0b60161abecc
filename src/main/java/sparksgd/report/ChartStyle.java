package sparksgd.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The house style of every chart (white, light grid, legend below) and the drawing helpers they share. */
final class ChartStyle {
  static final int WIDTH = 800;
  static final int HEIGHT = 500;

  static final Color BLUE = new Color(31, 119, 180);
  static final Color ORANGE = new Color(255, 127, 14);
  static final Color GREEN = new Color(44, 160, 44);
  static final Color RED = new Color(214, 39, 40);
  static final Color PURPLE = new Color(148, 103, 189);
  static final Color GREY = new Color(110, 110, 110);

  private ChartStyle() {}

  /** PNG bytes of any XChart chart. */
  static byte[] png(Chart<?, ?> chart) {
    try {
      return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode chart as PNG", e);
    }
  }

  static XYChart xy(String title, String xTitle, String yTitle) {
    XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
        .build();
    style(c.getStyler());
    c.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
    return c;
  }

  static void style(AxesChartStyler s) {
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotBorderColor(new Color(160, 160, 160));
    s.setPlotGridLinesColor(new Color(228, 228, 228));
    s.setChartTitleBoxVisible(false);
    s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    s.setLegendPosition(LegendPosition.OutsideS);
    s.setLegendLayout(LegendLayout.Horizontal);
    s.setLegendBorderColor(Color.WHITE);
    s.setAntiAlias(true);
    s.setMarkerSize(4);
    s.setToolTipsEnabled(false);
  }

  /**
   * An epoch x axis with round tick values. XChart puts ticks only at data points when the x values of
   * all series (in insertion order) are equally spaced, which crowds an epoch axis with labels like
   * 1, 13, 25; an invisible first point half an epoch before the first one avoids that.
   * Call before adding any other series.
   */
  static void epochAxis(XYChart c, double firstEpoch, double lastEpoch, double someY) {
    XYSeries anchor = c.addSeries(" ", new double[] {firstEpoch - 0.5}, new double[] {someY});
    anchor.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
    anchor.setMarker(SeriesMarkers.NONE);
    anchor.setLineColor(new Color(0, 0, 0, 0));
    anchor.setShowInLegend(false);
    c.getStyler().setXAxisMin(firstEpoch <= 1 ? 0.0 : firstEpoch - 1);
    c.getStyler().setXAxisMax(Math.max(lastEpoch, firstEpoch + 1));
    // epochs are whole numbers: a short run's half-epoch ticks stay unlabelled
    c.getStyler().setxAxisTickLabelsFormattingFunction(
        v -> v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", (long) (double) v) : "");
  }

  /** {first, last} x over series given as {x, y}. */
  static double[] epochSpan(java.util.Collection<double[][]> series) {
    double first = Double.POSITIVE_INFINITY;
    double last = Double.NEGATIVE_INFINITY;
    for (double[][] s : series) {
      if (s[0].length > 0) {
        first = Math.min(first, ChartData.min(s[0]));
        last = Math.max(last, ChartData.max(s[0]));
      }
    }
    return new double[] {first, last};
  }

  static XYSeries line(XYChart c, String name, double[] x, double[] y, Color color, float width) {
    XYSeries s = c.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
    s.setMarker(x.length == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    s.setMarkerColor(color);
    s.setLineColor(color);
    s.setLineWidth(width);
    return s;
  }

  /** A dashed stroke: {@code pattern} alternates dash and gap lengths in pixels. */
  static BasicStroke dashed(float width, float... pattern) {
    return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, pattern, 0f);
  }

  static void markEpoch(XYChart c, int epoch, String label, double lo, double hi) {
    if (epoch <= 0) {
      return;
    }
    XYSeries s = c.addSeries(label, new double[] {epoch, epoch}, new double[] {lo, hi});
    s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(PURPLE);
    s.setLineStyle(dashed(1.5f, 5f, 4f));
  }

  static void setYRange(XYChart c, double lo, double hi) {
    if (hi <= lo) {
      double d = lo == 0 ? 1 : Math.abs(lo) * 0.1;
      lo -= d;
      hi += d;
    }
    double pad = (hi - lo) * 0.04;
    c.getStyler().setYAxisMin(lo - pad);
    c.getStyler().setYAxisMax(hi + pad);
  }

  static Color translucent(Color c, int alpha) {
    return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
  }

  /**
   * Tick labels for a linear numeric axis whose values run from {@code lo} to {@code hi}: plain numbers
   * with a leading zero ("0.25", never ".25"), and powers of ten ("7e-4") for very small or large values,
   * where plain digits are hard to count.
   */
  static Function<Double, String> tickLabels(double lo, double hi) {
    double big = Math.max(Math.abs(lo), Math.abs(hi));
    boolean scientific = big > 0 && (big < 1e-2 || big >= 1e6);
    return v -> {
      if (v == null || !Double.isFinite(v)) {
        return "";
      }
      if (v == 0) {
        return "0";
      }
      return scientific ? scientific(v) : num(v);
    };
  }

  /** A decimal pattern for a log axis's powers of ten: "0.0001" style when short enough, else "1E-5". */
  static String logTickPattern(double lo, double hi) {
    return lo >= 1e-4 && hi < 1e6 ? "0.####" : "0E0";
  }

  /** 1e-4, 2.5e-3, 3e+06 style: mantissa up to 3 significant digits, no trailing zeros. */
  static String scientific(double v) {
    String s = String.format(Locale.ROOT, "%.2e", v);
    int e = s.indexOf('e');
    String mantissa = s.substring(0, e);
    if (mantissa.contains(".")) {
      mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    int exponent = Integer.parseInt(s.substring(e + 1));
    return mantissa + "e" + exponent;
  }

  /** Short human form of a number: 4 significant digits, no exponent for ordinary magnitudes. */
  static String num(double v) {
    if (!Double.isFinite(v)) {
      return String.valueOf(v);
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    double a = Math.abs(v);
    if (a >= 1e-3 && a < 1e6) {
      return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }
    return String.format(Locale.ROOT, "%.3e", v);
  }
}
