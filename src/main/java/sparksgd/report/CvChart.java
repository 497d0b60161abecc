package sparksgd.report;

import static sparksgd.report.ChartStyle.GREY;
import static sparksgd.report.ChartStyle.RED;

import java.awt.BasicStroke;
import java.awt.Color;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** K-fold cross-validation curves: every fold, the mean with a band of one standard deviation, the smoothed mean. */
final class CvChart {
  /** Up to this many folds get a legend entry each; more share one grey entry. */
  static final int MAX_NAMED_FOLDS = 10;

  private static final Color[] FOLD_COLORS = {
    new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(148, 103, 189),
    new Color(140, 86, 75), new Color(227, 119, 194), new Color(188, 189, 34), new Color(23, 190, 207)};

  /** Colour and dash pattern together tell folds apart, also in grey print and for colour-blind readers. */
  private static final float[][] FOLD_DASHES = {null, {7f, 3f}, {2f, 3f}, {7f, 3f, 2f, 3f}};

  private CvChart() {}

  /**
   * Epochs are 1-based: {@code folds[f][e]} is fold f after epoch e+1. The y range is fitted to the
   * epochs from {@code skip} on.
   *
   * @param bestEpoch 1-based epoch to mark; 0 for none
   * @param metricAxis the y axis title, e.g. "validation MAE of MEDV (USD 1000s)"
   */
  static XYChart of(double[][] folds, double[] mean, double[] std, double[] smoothed, int bestEpoch, int skip,
      String metric, String metricAxis) {
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
    double[] range = yRange(folds, mean, std, skip);
    XYChart c = ChartStyle.xy(folds.length + "-fold CV: validation " + metric + " per epoch", "epoch", metricAxis);
    ChartStyle.epochAxis(c, 1, epochs, range[0]);
    // up to 14 legend entries do not fit in one row below the plot; the top right is where curves
    // that fall with training leave room
    c.getStyler().setLegendPosition(LegendPosition.InsideNE);
    c.getStyler().setLegendLayout(LegendLayout.Vertical);
    c.getStyler().setLegendBackgroundColor(new Color(255, 255, 255, 210));
    band(c, x, mean, std);
    for (int f = 0; f < folds.length; f++) {
      foldLine(c, f, folds.length, x, folds[f]);
    }
    double[][] m = ChartData.dropNaN(x, mean);
    ChartStyle.line(c, "mean", m[0], m[1], Color.BLACK, 1.5f);
    double[][] sm = ChartData.dropNaN(x, smoothed);
    if (sm[0].length > 0) {
      ChartStyle.line(c, "smoothed mean", sm[0], sm[1], RED, 2.5f);
    }
    ChartStyle.setYRange(c, range[0], range[1]);
    if (bestEpoch > 0 && bestEpoch <= epochs) {
      if (Double.isFinite(smoothed[bestEpoch - 1])) {
        c.setTitle(c.getTitle() + " (best: epoch " + bestEpoch + ", " + ChartStyle.num(smoothed[bestEpoch - 1]) + ")");
      }
      ChartStyle.markEpoch(c, bestEpoch, "best epoch", range[0], range[1]);
    }
    return c;
  }

  /** The name fold {@code f} of {@code k} has in the legend, or null when it shares the first fold's entry. */
  static String foldName(int f, int k) {
    if (k <= MAX_NAMED_FOLDS) {
      return "fold " + (f + 1);
    }
    return f == 0 ? "folds 1-" + k : null;
  }

  private static void foldLine(XYChart c, int f, int k, double[] x, double[] values) {
    double[][] p = ChartData.dropNaN(x, values);
    if (p[0].length == 0) {
      return;
    }
    String name = foldName(f, k);
    boolean named = k <= MAX_NAMED_FOLDS;
    Color color = named ? FOLD_COLORS[f % FOLD_COLORS.length] : GREY;
    XYSeries s = ChartStyle.line(c, name == null ? "fold " + (f + 1) : name, p[0], p[1],
        ChartStyle.translucent(color, named ? 170 : 90), 1.1f);
    float[] dash = named ? FOLD_DASHES[(f / FOLD_COLORS.length + f) % FOLD_DASHES.length] : null;
    if (dash != null) {
      s.setLineStyle(ChartStyle.dashed(1.1f, dash));
    } else {
      s.setLineStyle(new BasicStroke(1.1f));
    }
    s.setShowInLegend(name != null);
  }

  /** Plus/minus one standard deviation around the mean as one polygon: upper edge forwards, lower backwards. */
  private static void band(XYChart c, double[] x, double[] mean, double[] std) {
    double[][] up = ChartData.dropNaN(x, ChartData.plus(mean, std, 1));
    double[][] down = ChartData.dropNaN(x, ChartData.plus(mean, std, -1));
    if (up[0].length <= 1) {
      return;
    }
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
    band.setFillColor(new Color(100, 100, 100, 60));
    band.setLineColor(new Color(100, 100, 100, 0));
    band.setLineWidth(0.1f);
  }

  /** {lo, hi}: lo over every epoch, hi over the epochs from {@code skip} on. */
  private static double[] yRange(double[][] folds, double[] mean, double[] std, int skip) {
    int epochs = mean.length;
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    int from = skip > 0 && skip < epochs ? skip : 0;
    for (int e = 0; e < epochs; e++) {
      for (double[] f : folds) {
        lo = ChartData.minFinite(lo, f[e]);
        if (e >= from) {
          hi = ChartData.maxFinite(hi, f[e]);
        }
      }
      lo = ChartData.minFinite(lo, mean[e] - std[e]);
      if (e >= from) {
        hi = ChartData.maxFinite(hi, mean[e] + std[e]);
      }
    }
    if (Double.isInfinite(lo) || Double.isInfinite(hi)) {
      throw new IllegalArgumentException("no finite cross-validation value");
    }
    return new double[] {lo, hi};
  }
}
