package sparksgd.sweep;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import sparksgd.report.Charts;

/**
 * The ASHA chart: one line per trial through its score at each rung it reached, against epochs (log
 * scale, so geometric rungs are evenly spaced), the rungs as dashed vertical lines, the best trial thick;
 * the y axis leaves out far-off first-rung scores.
 */
final class AshaChart {
  private static final Color TRIAL = new Color(31, 119, 180, 90);
  private static final Color BEST = new Color(214, 39, 40);
  private static final Color RUNG = new Color(110, 110, 110);

  private AshaChart() {}

  static byte[] render(SweepReport.Asha asha, String scoreName, int bestTrial) {
    XYChart c = new XYChartBuilder().width(Charts.WIDTH).height(Charts.HEIGHT)
        .title("ASHA: " + scoreName + " at each rung").xAxisTitle("epochs (log scale)").yAxisTitle(scoreName).build();
    c.getStyler().setChartBackgroundColor(Color.WHITE);
    c.getStyler().setPlotBackgroundColor(Color.WHITE);
    c.getStyler().setLegendVisible(false);
    c.getStyler().setXAxisLogarithmic(true);
    c.getStyler().setMarkerSize(5);
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    List<Map.Entry<Integer, List<AshaRecord.RungScore>>> curves = new ArrayList<>(asha.curves().entrySet());
    curves.sort(Map.Entry.comparingByKey());
    for (Map.Entry<Integer, List<AshaRecord.RungScore>> e : curves) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (AshaRecord.RungScore r : e.getValue()) {
        if (Double.isFinite(r.score())) {
          xs.add((double) r.epochs());
          ys.add(r.score());
          lo = Math.min(lo, r.score());
          hi = Math.max(hi, r.score());
        }
      }
      if (xs.isEmpty() || e.getKey() == bestTrial) {
        continue;
      }
      XYSeries s = c.addSeries("trial " + e.getKey(), xs, ys);
      s.setLineStyle(new BasicStroke(1.2f));
      s.setLineColor(TRIAL);
      s.setMarkerColor(TRIAL);
      s.setMarker(SeriesMarkers.CIRCLE);
    }
    if (Double.isInfinite(lo)) {
      lo = 0;
      hi = 1;
    }
    hi = Math.min(hi, focus(asha, lo));
    c.getStyler().setYAxisMin(lo - (hi - lo) * 0.04);
    c.getStyler().setYAxisMax(hi + (hi - lo) * 0.04);
    List<AshaRecord.RungScore> best = asha.curves().get(bestTrial);
    if (best != null && !best.isEmpty()) {
      XYSeries s = c.addSeries("best: trial " + bestTrial, best.stream().map(r -> (double) r.epochs()).toList(),
          best.stream().map(AshaRecord.RungScore::score).toList());
      s.setLineColor(BEST);
      s.setMarkerColor(BEST);
      s.setMarker(SeriesMarkers.DIAMOND);
      s.setLineStyle(new BasicStroke(3f));
    }
    for (int rung : asha.rungs()) {
      XYSeries s = c.addSeries("rung " + rung, List.of((double) rung, (double) rung), List.of(lo, hi));
      s.setLineColor(RUNG);
      s.setMarker(SeriesMarkers.NONE);
      s.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    }
    return Charts.png(c);
  }

  /**
   * The top of the y axis: a few diverging or hopeless first-rung scores would flatten every other line,
   * so the axis stops at three times the spread of the best half of the first rung (those are clipped).
   */
  private static double focus(SweepReport.Asha asha, double lo) {
    List<Double> first = new ArrayList<>();
    for (List<AshaRecord.RungScore> curve : asha.curves().values()) {
      if (!curve.isEmpty() && Double.isFinite(curve.get(0).score())) {
        first.add(curve.get(0).score());
      }
    }
    if (first.size() < 4) {
      return Double.POSITIVE_INFINITY;
    }
    first.sort(null);
    double median = first.get(first.size() / 2);
    return median + 2 * (median - lo);
  }
}
