package sparksgd.report;

import static sparksgd.report.ChartStyle.BLUE;
import static sparksgd.report.ChartStyle.RED;

import java.awt.Color;
import java.util.Arrays;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** A regression's test-set predictions: predicted against actual, and the residuals' histogram. */
final class PredictionCharts {
  /** At most this many points are drawn in a scatter plot; larger inputs are thinned evenly. */
  static final int MAX_SCATTER_POINTS = 20_000;

  private PredictionCharts() {}

  /** Predicted against actual on the test set, with the line y = x. At most {@link #MAX_SCATTER_POINTS} drawn. */
  static XYChart predictedVsActual(double[] predicted, double[] actual, LabelUnit label) {
    double[][] pa = ChartData.finitePairs(predicted, actual);
    int n = pa[0].length;
    if (n == 0) {
      throw new IllegalArgumentException("no finite (predicted, actual) pair");
    }
    int stride = (n + MAX_SCATTER_POINTS - 1) / MAX_SCATTER_POINTS;
    int m = (n + stride - 1) / stride;
    double[] x = new double[m];
    double[] y = new double[m];
    for (int i = 0, j = 0; i < n; i += stride, j++) {
      x[j] = pa[1][i];
      y[j] = pa[0][i];
    }
    double lo = Math.min(ChartData.min(x), ChartData.min(y));
    double hi = Math.max(ChartData.max(x), ChartData.max(y));
    if (hi == lo) {
      lo -= 1;
      hi += 1;
    }
    double pad = (hi - lo) * 0.03;
    lo -= pad;
    hi += pad;
    String title = "Predicted vs actual, test set (n = " + n + (stride > 1 ? ", every " + stride + "th shown" : "") + ")";
    XYChart c = ChartStyle.xy(title, "actual " + label.axis("label"), "predicted " + label.axis("label"));
    XYSeries pts = c.addSeries("test rows", x, y);
    pts.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
    pts.setMarker(SeriesMarkers.CIRCLE);
    pts.setMarkerColor(new Color(31, 119, 180, m > 2000 ? 70 : 150));
    XYSeries diag = c.addSeries("y = x", new double[] {lo, hi}, new double[] {lo, hi});
    diag.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
    diag.setMarker(SeriesMarkers.NONE);
    diag.setLineColor(RED);
    diag.setLineStyle(ChartStyle.dashed(1.5f, 6f, 4f));
    XYStyler s = c.getStyler();
    s.setMarkerSize(5);
    s.setXAxisMin(lo);
    s.setXAxisMax(hi);
    s.setYAxisMin(lo);
    s.setYAxisMax(hi);
    return c;
  }

  /**
   * Histogram of the residuals {@code actual - predicted}; bin width by the Freedman-Diaconis rule, the
   * square-root rule when the inter-quartile range is 0; between 1 and 100 bins.
   */
  static XYChart residualHistogram(double[] predicted, double[] actual, LabelUnit label) {
    double[][] pa = ChartData.finitePairs(predicted, actual);
    int n = pa[0].length;
    if (n == 0) {
      throw new IllegalArgumentException("no finite (predicted, actual) pair");
    }
    double[] r = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      r[i] = pa[1][i] - pa[0][i];
      sum += r[i];
    }
    double mean = sum / n;
    double ss = 0;
    for (double v : r) {
      ss += (v - mean) * (v - mean);
    }
    double sd = Math.sqrt(ss / n);
    Histogram h = Histogram.of(r);
    String xTitle = "residual, actual - predicted" + (label.unit().isEmpty() ? "" : " (" + label.unit() + ")");
    XYChart c = ChartStyle.xy(String.format(Locale.ROOT, "Residuals on the test set (n = %d, mean = %s, sd = %s)",
        n, ChartStyle.num(mean), ChartStyle.num(sd)), xTitle, "test rows");
    XYSeries bars = c.addSeries(h.counts.length + " bins of width " + ChartStyle.num(h.width), h.outlineX(),
        h.outlineY());
    bars.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
    bars.setMarker(SeriesMarkers.NONE);
    bars.setFillColor(new Color(31, 119, 180, 150));
    bars.setLineColor(BLUE.darker());
    bars.setLineWidth(1f);
    double top = Arrays.stream(h.counts).max().orElse(0);
    XYSeries zero = c.addSeries("zero", new double[] {0, 0}, new double[] {0, top * 1.05});
    zero.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
    zero.setMarker(SeriesMarkers.NONE);
    zero.setLineColor(RED);
    zero.setLineWidth(1.5f);
    XYStyler s = c.getStyler();
    int b = h.counts.length;
    double span = h.edges[b] - h.edges[0];
    s.setXAxisMin(Math.min(h.edges[0], 0) - span * 0.02);
    s.setXAxisMax(Math.max(h.edges[b], 0) + span * 0.02);
    s.setYAxisMin(0.0);
    s.setYAxisMax(top * 1.08);
    return c;
  }

  /** Bins of a histogram: {@code edges.length == counts.length + 1}. */
  record Histogram(double[] edges, long[] counts, double width) {
    static Histogram of(double[] values) {
      double[] v = values.clone();
      Arrays.sort(v);
      int n = v.length;
      double lo = v[0];
      double hi = v[n - 1];
      if (hi == lo) {
        return new Histogram(new double[] {lo - 0.5, lo + 0.5}, new long[] {n}, 1.0);
      }
      double iqr = quantile(v, 0.75) - quantile(v, 0.25);
      int bins = iqr > 0 ? (int) Math.ceil((hi - lo) / (2 * iqr / Math.cbrt(n))) : (int) Math.ceil(Math.sqrt(n));
      bins = Math.max(1, Math.min(100, bins));
      double w = (hi - lo) / bins;
      double[] edges = new double[bins + 1];
      for (int i = 0; i <= bins; i++) {
        edges[i] = lo + i * w;
      }
      edges[bins] = hi;
      long[] counts = new long[bins];
      for (double x : v) {
        counts[Math.min(bins - 1, (int) ((x - lo) / w))]++;
      }
      return new Histogram(edges, counts, w);
    }

    /** Linear interpolation between order statistics of a sorted array. */
    static double quantile(double[] sorted, double q) {
      double pos = q * (sorted.length - 1);
      int i = (int) Math.floor(pos);
      int j = Math.min(sorted.length - 1, i + 1);
      return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
    }

    /** One closed outline, up and down at every bin edge, so the fill shows each bar and the line separates them. */
    double[] outlineX() {
      double[] px = new double[3 * counts.length + 1];
      px[0] = edges[0];
      for (int i = 0, k = 1; i < counts.length; i++) {
        px[k++] = edges[i];
        px[k++] = edges[i + 1];
        px[k++] = edges[i + 1];
      }
      return px;
    }

    double[] outlineY() {
      double[] py = new double[3 * counts.length + 1];
      for (int i = 0, k = 1; i < counts.length; i++) {
        py[k++] = counts[i];
        py[k++] = counts[i];
        py[k++] = 0;
      }
      return py;
    }
  }
}
