package sparksgd.report;

import static sparksgd.report.ChartStyle.BLUE;
import static sparksgd.report.ChartStyle.GREEN;
import static sparksgd.report.ChartStyle.ORANGE;
import static sparksgd.report.ChartStyle.RED;

import java.awt.Color;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import sparksgd.train.EpochRecord;

/** Per-epoch curves of a training run: the losses, and the headline metric raw and smoothed. */
final class CurveCharts {
  private CurveCharts() {}

  /** A metric chart and the last epoch whose values run off its top (0 when nothing is clipped). */
  record MetricChart(XYChart chart, int clippedThrough) {}

  /** Training, validation and test loss per epoch; log scale when the values span more than 50x. */
  static XYChart loss(List<EpochRecord> history, String lossLabel, int markEpoch) {
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
    XYChart c = ChartStyle.xy("Loss per epoch", "epoch", lossLabel + (log ? " (log scale)" : ""));
    c.getStyler().setYAxisLogarithmic(log);
    double[] span = ChartStyle.epochSpan(series.values());
    ChartStyle.epochAxis(c, span[0], span[1], series.values().iterator().next()[1][0]);
    Color[] colors = {BLUE, ORANGE, GREEN};
    int i = 0;
    for (Map.Entry<String, double[][]> e : series.entrySet()) {
      ChartStyle.line(c, e.getKey(), e.getValue()[0], e.getValue()[1], colors[i++], 2f);
    }
    ChartStyle.markEpoch(c, markEpoch, "kept epoch " + markEpoch, lo, hi);
    return c;
  }

  /**
   * Validation metric (MAE for regression) per epoch, raw and smoothed by {@link Smoothing#ema}; the test
   * metric raw when present. Without a validation split the test metric is the one smoothed. The y range
   * is fitted to the epochs after the skipped ones; when the first epochs' values run off the top, the
   * title says which epochs are clipped.
   */
  static MetricChart metric(List<EpochRecord> history, String metric, LabelUnit label, double factor,
      int skipFirst, int markEpoch) {
    double[][] val = ChartData.finite(history, EpochRecord::validationMetric);
    double[][] test = ChartData.finite(history, EpochRecord::testMetric);
    if (val[0].length == 0 && test[0].length == 0) {
      throw new IllegalArgumentException("no finite validation or test " + metric + " in the history");
    }
    boolean hasVal = val[0].length > 0;
    boolean both = hasVal && test[0].length > 0;
    double[][] main = hasVal ? val : test;
    String split = hasVal ? "validation " : "test ";
    int skip = Smoothing.effectiveSkip(skipFirst, main[0].length);
    double[] smooth = Smoothing.ema(main[1], factor, skip);
    double[][] sm = ChartData.dropNaN(main[0], smooth);

    XYChart c = ChartStyle.xy((hasVal ? "Validation " : "Test ") + metric + " per epoch", "epoch",
        label.metricAxis(both ? "" : split, metric));
    double[] span = ChartStyle.epochSpan(List.of(val, test));
    ChartStyle.epochAxis(c, span[0], span[1], main[1][0]);
    ChartStyle.line(c, split + metric, main[0], main[1], ChartStyle.translucent(ORANGE, 150), 1.2f);
    if (both) {
      ChartStyle.line(c, "test " + metric, test[0], test[1], ChartStyle.translucent(GREEN, 150), 1.2f);
    }
    ChartStyle.line(c, split + metric + ", EMA " + ChartStyle.num(factor)
        + (skip > 0 ? " after epoch " + (int) main[0][skip - 1] : ""), sm[0], sm[1], RED, 2.5f);

    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (XYSeries s : c.getSeriesMap().values()) {
      lo = Math.min(lo, s.getYMin());
      hi = Math.max(hi, s.getYMax());
    }
    int clipped = 0;
    if (skip > 0) {
      // fit the y range to the kept epochs so the interesting region is not squashed by the first ones
      double firstKept = main[0][skip];
      hi = Math.max(ChartData.maxFrom(main, firstKept), ChartData.max(sm[1]));
      if (both) {
        hi = Math.max(hi, ChartData.maxFrom(test, firstKept));
      }
      // values within the top padding still show; only those above it are clipped
      clipped = lastEpochAbove(both ? List.<double[][]>of(main, test) : List.<double[][]>of(main), firstKept, hi + (hi - lo) * 0.04);
      if (clipped > 0) {
        c.setTitle(c.getTitle() + " (epochs up to " + clipped + " run off the top)");
      }
    }
    ChartStyle.setYRange(c, lo, hi);
    ChartStyle.markEpoch(c, markEpoch, "kept epoch " + markEpoch, lo, hi);
    return new MetricChart(c, clipped);
  }

  /** The last epoch before {@code before} with a value above {@code hi}; 0 when there is none. */
  private static int lastEpochAbove(List<double[][]> series, double before, double hi) {
    int last = 0;
    for (double[][] s : series) {
      for (int i = 0; i < s[0].length; i++) {
        if (s[0][i] < before && s[1][i] > hi) {
          last = Math.max(last, (int) s[0][i]);
        }
      }
    }
    return last;
  }

  private static void putIfAny(Map<String, double[][]> out, String name, List<EpochRecord> h,
      java.util.function.ToDoubleFunction<EpochRecord> f) {
    double[][] p = ChartData.finite(h, f);
    if (p[0].length > 0) {
      out.put(name, p);
    }
  }
}
