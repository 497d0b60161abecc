package sparksgd.report;

import static sparksgd.report.ChartStyle.BLUE;

import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** A sweep's score against one of its axes: numeric (log scale when it spans 100x) or categorical. */
final class SweepChart {
  private SweepChart() {}

  /** {@code values.get(i)} and {@code scores[i]} are one point; several points may share a value. */
  static Chart<?, ?> of(String axisName, List<?> values, double[] scores, String scoreName) {
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
      ylo = ChartData.minFinite(ylo, v);
      yhi = ChartData.maxFinite(yhi, v);
    }
    if (Double.isInfinite(ylo)) {
      throw new IllegalArgumentException("no finite score");
    }
    String title = "Sweep: " + scoreName + " by " + axisName;
    return numeric ? numeric(title, axisName, values, scores, scoreName, ylo, yhi)
        : categorical(title, axisName, values, scores, scoreName, ylo, yhi);
  }

  private static XYChart numeric(String title, String axisName, List<?> values, double[] scores, String scoreName,
      double ylo, double yhi) {
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
    XYChart c = ChartStyle.xy(title, axisName + (log ? " (log scale)" : ""), scoreName);
    XYSeries pts = c.addSeries("runs", xs, ys);
    pts.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
    pts.setMarker(SeriesMarkers.CIRCLE);
    pts.setMarkerColor(BLUE);
    XYStyler s = c.getStyler();
    s.setMarkerSize(9);
    s.setXAxisLogarithmic(log);
    if (log) {
      // XChart's log axis ignores a formatting function (it falls back to a linear axis), but keeps a pattern
      s.setXAxisDecimalPattern(ChartStyle.logTickPattern(lo, hi));
    } else {
      s.setxAxisTickLabelsFormattingFunction(ChartStyle.tickLabels(lo, hi));
    }
    s.setyAxisTickLabelsFormattingFunction(ChartStyle.tickLabels(ylo, yhi));
    if (hi == lo) {
      s.setXAxisMin(lo - 1);
      s.setXAxisMax(hi + 1);
    }
    ChartStyle.setYRange(c, ylo, yhi);
    return c;
  }

  /** Categories in first-seen order; the k-th run of a category goes in series k, drawn on the same spot. */
  private static CategoryChart categorical(String title, String axisName, List<?> values, double[] scores,
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
    CategoryChart c = new CategoryChartBuilder().width(ChartStyle.WIDTH).height(ChartStyle.HEIGHT).title(title)
        .xAxisTitle(axisName).yAxisTitle(scoreName).build();
    CategoryStyler s = c.getStyler();
    ChartStyle.style(s);
    s.setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
    s.setOverlapped(true);
    s.setMarkerSize(9);
    s.setyAxisTickLabelsFormattingFunction(ChartStyle.tickLabels(ylo, yhi));
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
    return c;
  }
}
