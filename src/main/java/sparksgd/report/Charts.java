package sparksgd.report;

import java.util.List;
import org.knowm.xchart.internal.chartpart.Chart;
import sparksgd.train.EpochRecord;

/**
 * The report's charts as PNG bytes of {@link #WIDTH} x {@link #HEIGHT} pixels, drawn with XChart (the
 * caller writes them through the Hadoop FileSystem API). Rendering is headless. Non-finite values are
 * left out of every chart; a series with no finite value is not drawn at all. Each chart is built by
 * its own class ({@link CurveCharts}, {@link PredictionCharts}, {@link CvChart}, {@link SweepChart});
 * this class only renders them.
 */
public final class Charts {
  public static final int WIDTH = ChartStyle.WIDTH;
  public static final int HEIGHT = ChartStyle.HEIGHT;

  /** At most this many points are drawn in a scatter plot; larger inputs are thinned evenly. */
  public static final int MAX_SCATTER_POINTS = PredictionCharts.MAX_SCATTER_POINTS;

  private Charts() {}

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
    return png(CurveCharts.loss(history, lossLabel, markEpoch));
  }

  /** {@link #metricCurves(List, String, LabelUnit, double, int, int)} without a label name or unit. */
  public static byte[] metricCurves(List<EpochRecord> history, String metric, double factor, int skipFirst,
      int markEpoch) {
    return metricCurves(history, metric, LabelUnit.NONE, factor, skipFirst, markEpoch);
  }

  /**
   * Validation metric per epoch, raw and smoothed by an exponential moving average; the y range fits the
   * epochs after the first {@code skipFirst}, and the title says which early epochs run off the top.
   *
   * @param metric the metric's name, e.g. "MAE"
   * @param label the label's name and unit for the y axis
   * @param factor EMA factor (0.9 in the course)
   * @param skipFirst epochs left out of the smoothed curve (10 in the course); 0 when it would leave none
   * @param markEpoch an epoch to mark with a vertical line; 0 for none
   */
  public static byte[] metricCurves(List<EpochRecord> history, String metric, LabelUnit label, double factor,
      int skipFirst, int markEpoch) {
    return png(CurveCharts.metric(history, metric, label, factor, skipFirst, markEpoch).chart());
  }

  /** Predicted against actual on the test set, with the line y = x. At most {@link #MAX_SCATTER_POINTS} drawn. */
  public static byte[] predictedVsActual(double[] predicted, double[] actual) {
    return predictedVsActual(predicted, actual, LabelUnit.NONE);
  }

  public static byte[] predictedVsActual(double[] predicted, double[] actual, LabelUnit label) {
    return png(PredictionCharts.predictedVsActual(predicted, actual, label));
  }

  /** Histogram of the residuals {@code actual - predicted} (Freedman-Diaconis bins). */
  public static byte[] residualHistogram(double[] predicted, double[] actual) {
    return residualHistogram(predicted, actual, LabelUnit.NONE);
  }

  public static byte[] residualHistogram(double[] predicted, double[] actual, LabelUnit label) {
    return png(PredictionCharts.residualHistogram(predicted, actual, label));
  }

  /**
   * Every fold's validation curve, the mean with a band of plus/minus one standard deviation, the
   * smoothed mean and the best epoch. {@code folds[f][e]} is fold f after epoch e+1.
   *
   * @param bestEpoch 1-based epoch to mark; 0 for none
   * @param metric the metric's name, e.g. "MAE"
   */
  public static byte[] cvCurves(double[][] folds, double[] mean, double[] std, double[] smoothed, int bestEpoch,
      int skip, String metric) {
    return cvCurves(folds, mean, std, smoothed, bestEpoch, skip, metric, LabelUnit.NONE);
  }

  public static byte[] cvCurves(double[][] folds, double[] mean, double[] std, double[] smoothed, int bestEpoch,
      int skip, String metric, LabelUnit label) {
    return png(CvChart.of(folds, mean, std, smoothed, bestEpoch, skip, metric,
        label.metricAxis("validation ", metric)));
  }

  /**
   * A sweep's score against one axis. Numbers give a numeric x axis (logarithmic when all are positive
   * and span 100x or more, as learning rates do, with ticks such as 1e-4); anything else is
   * categorical, in first-seen order.
   */
  public static byte[] sweep(String axisName, List<?> values, double[] scores, String scoreName) {
    return png(SweepChart.of(axisName, values, scores, scoreName));
  }

  /** PNG bytes of any XChart chart. */
  public static byte[] png(Chart<?, ?> chart) {
    return ChartStyle.png(chart);
  }

  /** Short human form of a number: 4 significant digits, no exponent for ordinary magnitudes. */
  static String num(double v) {
    return ChartStyle.num(v);
  }
}
