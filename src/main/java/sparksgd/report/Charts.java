package sparksgd.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import sparksgd.train.EpochRecord;

/**
 * The report's charts, drawn with XChart and returned as PNG bytes of {@link #WIDTH} x {@link #HEIGHT}
 * pixels (the caller writes them through the Hadoop FileSystem API). Rendering is headless. Non-finite
 * values are left out of every chart; a series with no finite value is not drawn at all.
 */
public final class Charts {
  public static final int WIDTH = 800;
  public static final int HEIGHT = 500;
  /** Scatter plots draw at most this many points (every k-th point of a larger input). */
  public static final int MAX_SCATTER_POINTS = 20_000;

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private static final Color BLUE = new Color(31, 119, 180);
  private static final Color ORANGE = new Color(255, 127, 14);
  private static final Color GREEN = new Color(44, 160, 44);
  private static final Color RED = new Color(214, 39, 40);
  private static final Color PURPLE = new Color(148, 103, 189);
  private static final Color GREY = new Color(110, 110, 110);
  private static final Color[] FOLD_COLORS = {
    new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(148, 103, 189),
    new Color(140, 86, 75), new Color(227, 119, 194), new Color(188, 189, 34), new Color(23, 190, 207)};

  private Charts() {}

  // ---------------------------------------------------------------- training curves

  /** Training, validation and test loss per epoch; log scale when the values span more than 50x. */
  public static byte[] lossCurves(List<EpochRecord> history) {
    return lossCurves(history, "loss", 0);
  }

  /**
   * Training, validation and test loss per epoch.
   *
   * @param lossLabel y-axis name, e.g. "MSE loss"
   * @param markEpoch an epoch to mark with a vertical line (the epoch whose weights were kept); 0 for none
   */
  public static byte[] lossCurves(List<EpochRecord> history, String lossLabel, int markEpoch) {
    Map<String, double[][]> series = new LinkedHashMap<>();
    putIfAny(series, "training loss", history, EpochRecord::trainLoss);
    putIfAny(series, "validation loss", history, EpochRecord::validationLoss);
    putIfAny(series, "test loss", history, EpochRecord::testLoss);
    if (series.isEmpty()) {
      throw new IllegalArgumentException("no finite loss in the history");
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[][] s : series.values()) {
      for (double v : s[1]) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    boolean log = lo > 0 && hi / lo > 50;
    XYChart c = xy("Loss per epoch", "epoch", lossLabel + (log ? " (log scale)" : ""));
    c.getStyler().setYAxisLogarithmic(log);
    double[] span = epochSpan(series.values());
    epochAxis(c, span[0], span[1], series.values().iterator().next()[1][0]);
    Color[] colors = {BLUE, ORANGE, GREEN};
    int i = 0;
    for (Map.Entry<String, double[][]> e : series.entrySet()) {
      line(c, e.getKey(), e.getValue()[0], e.getValue()[1], colors[i++], 2f);
    }
    markEpoch(c, markEpoch, "kept epoch " + markEpoch, lo, hi);
    return png(c);
  }

  /**
   * Validation metric (MAE for regression) per epoch, raw and smoothed by {@link Smoothing#ema}; the test
   * metric raw when present. Without a validation split the test metric is the one smoothed. The y range
   * is fitted to the epochs after the skipped ones, so the first epochs' large values may run off the top.
   *
   * @param metric the metric's name, e.g. "MAE"
   * @param factor EMA factor (0.9 in the course)
   * @param skipFirst epochs left out of the smoothed curve (10 in the course); 0 when it would leave none
   * @param markEpoch an epoch to mark with a vertical line; 0 for none
   */
  public static byte[] metricCurves(List<EpochRecord> history, String metric, double factor, int skipFirst,
      int markEpoch) {
    double[][] val = finite(history, EpochRecord::validationMae);
    double[][] test = finite(history, EpochRecord::testMae);
    if (val[0].length == 0 && test[0].length == 0) {
      throw new IllegalArgumentException("no finite validation or test " + metric + " in the history");
    }
    boolean hasVal = val[0].length > 0;
    double[][] main = hasVal ? val : test;
    String mainName = (hasVal ? "validation " : "test ") + metric;
    int skip = Smoothing.effectiveSkip(skipFirst, main[0].length);
    double[] smooth = Smoothing.ema(main[1], factor, skip);
    double[][] sm = dropNaN(main[0], smooth);

    XYChart c = xy((hasVal ? "Validation " : "Test ") + metric + " per epoch", "epoch", metric);
    double[] span = epochSpan(List.of(val, test));
    epochAxis(c, span[0], span[1], main[1][0]);
    line(c, mainName, main[0], main[1], lighter(ORANGE), 1.2f);
    if (hasVal && test[0].length > 0) {
      line(c, "test " + metric, test[0], test[1], lighter(GREEN), 1.2f);
    }
    line(c, mainName + ", EMA " + num(factor) + (skip > 0 ? " after epoch " + (int) main[0][skip - 1] : ""),
        sm[0], sm[1], RED, 2.5f);

    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (XYSeries s : c.getSeriesMap().values()) {
      lo = Math.min(lo, s.getYMin());
      hi = Math.max(hi, s.getYMax());
    }
    if (skip > 0) {
      // fit the y range to the kept epochs so the interesting region is not squashed by the first ones
      double firstKept = main[0][skip];
      hi = Math.max(maxFrom(main, firstKept), max(sm[1]));
      if (hasVal && test[0].length > 0) {
        hi = Math.max(hi, maxFrom(test, firstKept));
      }
    }
    setYRange(c, lo, hi);
    markEpoch(c, markEpoch, "kept epoch " + markEpoch, lo, hi);
    return png(c);
  }

  // ---------------------------------------------------------------- test-set predictions

  /** Predicted against actual on the test set, with the line y = x. At most {@link #MAX_SCATTER_POINTS} drawn. */
  public static byte[] predictedVsActual(double[] predicted, double[] actual) {
    double[][] pa = finitePairs(predicted, actual);
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
    double lo = Math.min(min(x), min(y));
    double hi = Math.max(max(x), max(y));
    if (hi == lo) {
      lo -= 1;
      hi += 1;
    }
    double pad = (hi - lo) * 0.03;
    lo -= pad;
    hi += pad;
    String title = "Predicted vs actual, test set (n = " + n + (stride > 1 ? ", every " + stride + "th shown" : "") + ")";
    XYChart c = xy(title, "actual", "predicted");
    XYSeries pts = c.addSeries("test rows", x, y);
    pts.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
    pts.setMarker(SeriesMarkers.CIRCLE);
    pts.setMarkerColor(new Color(31, 119, 180, m > 2000 ? 70 : 150));
    XYSeries diag = c.addSeries("y = x", new double[] {lo, hi}, new double[] {lo, hi});
    diag.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
    diag.setMarker(SeriesMarkers.NONE);
    diag.setLineColor(RED);
    diag.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    XYStyler s = c.getStyler();
    s.setMarkerSize(5);
    s.setXAxisMin(lo);
    s.setXAxisMax(hi);
    s.setYAxisMin(lo);
    s.setYAxisMax(hi);
    return png(c);
  }

  /**
   * Histogram of the residuals {@code actual - predicted}; bin width by the Freedman-Diaconis rule, the
   * square-root rule when the inter-quartile range is 0; between 1 and 100 bins.
   */
  public static byte[] residualHistogram(double[] predicted, double[] actual) {
    double[][] pa = finitePairs(predicted, actual);
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

    // one closed outline: up and down at every bin edge, so the fill shows each bar and the line separates them
    int b = h.counts.length;
    double[] px = new double[3 * b + 1];
    double[] py = new double[3 * b + 1];
    int k = 0;
    px[k] = h.edges[0];
    py[k++] = 0;
    for (int i = 0; i < b; i++) {
      px[k] = h.edges[i];
      py[k++] = h.counts[i];
      px[k] = h.edges[i + 1];
      py[k++] = h.counts[i];
      px[k] = h.edges[i + 1];
      py[k++] = 0;
    }
    XYChart c = xy(String.format(Locale.ROOT, "Residuals on the test set (n = %d, mean = %s, sd = %s)", n, num(mean),
        num(sd)), "residual (actual - predicted)", "rows");
    XYSeries bars = c.addSeries(b + " bins of width " + num(h.width), px, py);
    bars.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
    bars.setMarker(SeriesMarkers.NONE);
    bars.setFillColor(new Color(31, 119, 180, 150));
    bars.setLineColor(BLUE.darker());
    bars.setLineWidth(1f);
    double top = 0;
    for (long cnt : h.counts) {
      top = Math.max(top, cnt);
    }
    XYSeries zero = c.addSeries("zero", new double[] {0, 0}, new double[] {0, top * 1.05});
    zero.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
    zero.setMarker(SeriesMarkers.NONE);
    zero.setLineColor(RED);
    zero.setLineWidth(1.5f);
    XYStyler s = c.getStyler();
    double span = h.edges[b] - h.edges[0];
    s.setXAxisMin(Math.min(h.edges[0], 0) - span * 0.02);
    s.setXAxisMax(Math.max(h.edges[b], 0) + span * 0.02);
    s.setYAxisMin(0.0);
    s.setYAxisMax(top * 1.08);
    return png(c);
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
  }

  // ---------------------------------------------------------------- cross-validation and sweeps

  /**
   * Every fold's validation curve (thin), the mean with a band of plus/minus one standard deviation, the
   * smoothed mean (NaN points, e.g. the skipped epochs, left out) and the best epoch. Epochs are 1-based:
   * {@code folds[f][e]} is fold f after epoch e+1. The y range is fitted to the epochs from {@code skip} on.
   *
   * @param bestEpoch 1-based epoch to mark; 0 for none
   * @param metric the metric's name, e.g. "MAE"
   */
  public static byte[] cvCurves(double[][] folds, double[] mean, double[] std, double[] smoothed, int bestEpoch,
      int skip, String metric) {
    int epochs = mean.length;
    if (epochs == 0 || std.length != epochs || smoothed.length != epochs) {
      throw new IllegalArgumentException("mean, std and smoothed must have the same, non-zero length");
    }
    for (double[] f : folds) {
      if (f.length != epochs) {
        throw new IllegalArgumentException("every fold curve must have " + epochs + " epochs");
      }
    }
    double[] x = new double[epochs];
    for (int e = 0; e < epochs; e++) {
      x[e] = e + 1;
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    int from = skip > 0 && skip < epochs ? skip : 0;
    for (int e = 0; e < epochs; e++) {
      for (double[] f : folds) {
        lo = minFinite(lo, f[e]);
        if (e >= from) {
          hi = maxFinite(hi, f[e]);
        }
      }
      lo = minFinite(lo, mean[e] - std[e]);
      if (e >= from) {
        hi = maxFinite(hi, mean[e] + std[e]);
      }
    }
    if (Double.isInfinite(lo) || Double.isInfinite(hi)) {
      throw new IllegalArgumentException("no finite cross-validation value");
    }
    XYChart c = xy(folds.length + "-fold CV: validation " + metric + " per epoch", "epoch",
        "validation " + metric);
    epochAxis(c, 1, epochs, lo);

    // band first so the lines draw over it: upper edge forwards, lower edge backwards
    double[][] up = dropNaN(x, plus(mean, std, 1));
    double[][] down = dropNaN(x, plus(mean, std, -1));
    if (up[0].length > 1) {
      double[] bx = new double[up[0].length + down[0].length];
      double[] by = new double[bx.length];
      for (int i = 0; i < up[0].length; i++) {
        bx[i] = up[0][i];
        by[i] = up[1][i];
      }
      for (int i = 0; i < down[0].length; i++) {
        bx[up[0].length + i] = down[0][down[0].length - 1 - i];
        by[up[0].length + i] = down[1][down[0].length - 1 - i];
      }
      XYSeries band = c.addSeries("\u00b11 std", bx, by);
      band.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
      band.setMarker(SeriesMarkers.NONE);
      band.setFillColor(new Color(100, 100, 100, 85));
      band.setLineColor(new Color(100, 100, 100, 0));
      band.setLineWidth(0.1f);
    }
    // up to 5 folds get a colour and a legend entry each; more share one grey entry
    boolean few = folds.length <= 5;
    for (int f = 0; f < folds.length; f++) {
      double[][] p = dropNaN(x, folds[f]);
      if (p[0].length > 0) {
        Color fc = few ? FOLD_COLORS[f] : GREY;
        String name = few ? "fold " + (f + 1) : f == 0 ? "folds 1-" + folds.length : "fold " + (f + 1);
        line(c, name, p[0], p[1], new Color(fc.getRed(), fc.getGreen(), fc.getBlue(), 90), 0.8f);
        if (!few && f > 0) {
          c.getSeriesMap().get(name).setShowInLegend(false);
        }
      }
    }
    double[][] m = dropNaN(x, mean);
    line(c, "mean", m[0], m[1], Color.BLACK, 1.3f);
    double[][] sm = dropNaN(x, smoothed);
    if (sm[0].length > 0) {
      line(c, "smoothed mean", sm[0], sm[1], RED, 2.5f);
    }

    setYRange(c, lo, hi);
    if (bestEpoch > 0 && bestEpoch <= epochs) {
      String label = "best epoch";
      if (Double.isFinite(smoothed[bestEpoch - 1])) {
        c.setTitle(c.getTitle() + " (best: epoch " + bestEpoch + ", " + num(smoothed[bestEpoch - 1]) + ")");
      }
      markEpoch(c, bestEpoch, label, lo, hi);
    }
    return png(c);
  }

  /**
   * A sweep's score against one axis. Numbers give a numeric x axis (logarithmic when all are positive
   * and span 100x or more, as learning rates do); anything else is categorical, in first-seen order.
   * {@code values.get(i)} and {@code scores[i]} are one point; several points may share a value.
   */
  public static byte[] sweep(String axisName, List<?> values, double[] scores, String scoreName) {
    if (values.size() != scores.length) {
      throw new IllegalArgumentException(values.size() + " axis values but " + scores.length + " scores");
    }
    boolean numeric = !values.isEmpty();
    for (Object v : values) {
      numeric &= v instanceof Number && Double.isFinite(((Number) v).doubleValue());
    }
    double ylo = Double.POSITIVE_INFINITY;
    double yhi = Double.NEGATIVE_INFINITY;
    for (double v : scores) {
      ylo = minFinite(ylo, v);
      yhi = maxFinite(yhi, v);
    }
    if (Double.isInfinite(ylo)) {
      throw new IllegalArgumentException("no finite score");
    }
    String title = "Sweep: " + scoreName + " by " + axisName;
    return numeric ? sweepNumeric(title, axisName, values, scores, scoreName, ylo, yhi)
        : sweepCategorical(title, axisName, values, scores, scoreName, ylo, yhi);
  }

  private static byte[] sweepNumeric(String title, String axisName, List<?> values, double[] scores,
      String scoreName, double ylo, double yhi) {
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      if (Double.isFinite(scores[i])) {
        xs.add(((Number) values.get(i)).doubleValue());
        ys.add(scores[i]);
      }
    }
    double lo = xs.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double hi = xs.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    boolean log = lo > 0 && hi / lo >= 100;
    XYChart c = xy(title, axisName + (log ? " (log scale)" : ""), scoreName);
    XYSeries pts = c.addSeries("runs", xs, ys);
    pts.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
    pts.setMarker(SeriesMarkers.CIRCLE);
    pts.setMarkerColor(BLUE);
    XYStyler s = c.getStyler();
    s.setMarkerSize(9);
    s.setXAxisLogarithmic(log);
    if (hi == lo) {
      s.setXAxisMin(lo - 1);
      s.setXAxisMax(hi + 1);
    }
    setYRange(c, ylo, yhi);
    return png(c);
  }

  /** Categories in first-seen order; the k-th run of a category goes in series k, drawn on the same spot. */
  private static byte[] sweepCategorical(String title, String axisName, List<?> values, double[] scores,
      String scoreName, double ylo, double yhi) {
    List<String> categories = new ArrayList<>();
    List<List<Double>> byCategory = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      String label = String.valueOf(values.get(i));
      int at = categories.indexOf(label);
      if (at < 0) {
        categories.add(label);
        byCategory.add(new ArrayList<>());
        at = categories.size() - 1;
      }
      if (Double.isFinite(scores[i])) {
        byCategory.get(at).add(scores[i]);
      }
    }
    int repeats = byCategory.stream().mapToInt(List::size).max().orElse(0);
    CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(axisName)
        .yAxisTitle(scoreName).build();
    CategoryStyler s = c.getStyler();
    style(s);
    s.setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
    s.setOverlapped(true);
    s.setMarkerSize(9);
    for (int k = 0; k < repeats; k++) {
      List<Double> ys = new ArrayList<>();
      for (List<Double> runs : byCategory) {
        ys.add(k < runs.size() ? runs.get(k) : null);
      }
      CategorySeries cs = c.addSeries(k == 0 ? "runs" : "runs #" + (k + 1), categories, ys);
      cs.setMarker(SeriesMarkers.CIRCLE);
      cs.setMarkerColor(BLUE);
      cs.setShowInLegend(k == 0);
    }
    double pad = yhi > ylo ? (yhi - ylo) * 0.04 : Math.max(1e-9, Math.abs(ylo) * 0.1);
    s.setYAxisMin(ylo - pad);
    s.setYAxisMax(yhi + pad);
    return png(c);
  }

  // ---------------------------------------------------------------- helpers

  /** PNG bytes of any XChart chart. */
  public static byte[] png(Chart<?, ?> chart) {
    try {
      return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode chart as PNG", e);
    }
  }

  private static XYChart xy(String title, String xTitle, String yTitle) {
    XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
        .build();
    style(c.getStyler());
    c.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
    return c;
  }

  private static void style(AxesChartStyler s) {
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
  private static void epochAxis(XYChart c, double firstEpoch, double lastEpoch, double someY) {
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
  private static double[] epochSpan(java.util.Collection<double[][]> series) {
    double first = Double.POSITIVE_INFINITY;
    double last = Double.NEGATIVE_INFINITY;
    for (double[][] s : series) {
      if (s[0].length > 0) {
        first = Math.min(first, min(s[0]));
        last = Math.max(last, max(s[0]));
      }
    }
    return new double[] {first, last};
  }

  private static void line(XYChart c, String name, double[] x, double[] y, Color color, float width) {
    XYSeries s = c.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
    s.setMarker(x.length == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    s.setMarkerColor(color);
    s.setLineColor(color);
    s.setLineWidth(width);
  }

  private static void markEpoch(XYChart c, int epoch, String label, double lo, double hi) {
    if (epoch <= 0) {
      return;
    }
    XYSeries s = c.addSeries(label, new double[] {epoch, epoch}, new double[] {lo, hi});
    s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(PURPLE);
    s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
  }

  private static void setYRange(XYChart c, double lo, double hi) {
    if (hi <= lo) {
      double d = lo == 0 ? 1 : Math.abs(lo) * 0.1;
      lo -= d;
      hi += d;
    }
    double pad = (hi - lo) * 0.04;
    c.getStyler().setYAxisMin(lo - pad);
    c.getStyler().setYAxisMax(hi + pad);
  }

  private static Color lighter(Color c) {
    return new Color(c.getRed(), c.getGreen(), c.getBlue(), 150);
  }

  private static void putIfAny(Map<String, double[][]> out, String name, List<EpochRecord> h,
      java.util.function.ToDoubleFunction<EpochRecord> f) {
    double[][] p = finite(h, f);
    if (p[0].length > 0) {
      out.put(name, p);
    }
  }

  /** {x = epoch, y = value} for the rows where the value is finite. */
  private static double[][] finite(List<EpochRecord> h, java.util.function.ToDoubleFunction<EpochRecord> f) {
    double[] x = new double[h.size()];
    double[] y = new double[h.size()];
    for (int i = 0; i < h.size(); i++) {
      x[i] = h.get(i).epoch();
      y[i] = f.applyAsDouble(h.get(i));
    }
    return dropNaN(x, y);
  }

  private static double[][] dropNaN(double[] x, double[] y) {
    int n = 0;
    for (double v : y) {
      if (Double.isFinite(v)) {
        n++;
      }
    }
    double[] ox = new double[n];
    double[] oy = new double[n];
    for (int i = 0, j = 0; i < y.length; i++) {
      if (Double.isFinite(y[i])) {
        ox[j] = x[i];
        oy[j++] = y[i];
      }
    }
    return new double[][] {ox, oy};
  }

  /** {predicted, actual} restricted to the pairs where both are finite. */
  private static double[][] finitePairs(double[] predicted, double[] actual) {
    if (predicted.length != actual.length) {
      throw new IllegalArgumentException(predicted.length + " predictions but " + actual.length + " actual values");
    }
    int n = 0;
    for (int i = 0; i < predicted.length; i++) {
      if (Double.isFinite(predicted[i]) && Double.isFinite(actual[i])) {
        n++;
      }
    }
    double[] p = new double[n];
    double[] a = new double[n];
    for (int i = 0, j = 0; i < predicted.length; i++) {
      if (Double.isFinite(predicted[i]) && Double.isFinite(actual[i])) {
        p[j] = predicted[i];
        a[j++] = actual[i];
      }
    }
    return new double[][] {p, a};
  }

  /** Largest value of {@code s} (x, y) at x >= from. */
  private static double maxFrom(double[][] s, double from) {
    double m = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < s[0].length; i++) {
      if (s[0][i] >= from) {
        m = Math.max(m, s[1][i]);
      }
    }
    return m;
  }

  private static double[] plus(double[] a, double[] b, double sign) {
    double[] o = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      o[i] = a[i] + sign * b[i];
    }
    return o;
  }

  private static double min(double[] v) {
    double m = Double.POSITIVE_INFINITY;
    for (double x : v) {
      m = Math.min(m, x);
    }
    return m;
  }

  private static double max(double[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      m = Math.max(m, x);
    }
    return m;
  }

  private static double minFinite(double m, double v) {
    return Double.isFinite(v) ? Math.min(m, v) : m;
  }

  private static double maxFinite(double m, double v) {
    return Double.isFinite(v) ? Math.max(m, v) : m;
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
