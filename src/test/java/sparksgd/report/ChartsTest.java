package sparksgd.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sparksgd.report.ReportFiles.assertChartSize;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import sparksgd.train.CvCurves;
import sparksgd.train.EpochRecord;

class ChartsTest {
  static final double NaN = Double.NaN;

  static List<EpochRecord> history(int epochs, boolean validation, boolean test) {
    Random r = new Random(1);
    List<EpochRecord> h = new ArrayList<>();
    for (int e = 1; e <= epochs; e++) {
      double mae = 2.5 + 10 * Math.exp(-e / 10.0) + 0.2 * r.nextGaussian();
      h.add(new EpochRecord(e, 5 + 400 * Math.exp(-e / 8.0), validation ? 9 + 400 * Math.exp(-e / 9.0) : NaN,
          validation ? mae : NaN, test ? 10 + 400 * Math.exp(-e / 9.0) : NaN, test ? mae + 0.3 : NaN, 0.01, 0.1));
    }
    return h;
  }

  static final LabelUnit MEDV = new LabelUnit("MEDV", "USD 1000s");

  /** The names of the series a reader sees in the legend, in drawing order. */
  static List<String> legend(XYChart c) {
    return c.getSeriesMap().values().stream().filter(XYSeries::isShowInLegend).map(XYSeries::getName).toList();
  }

  @Test
  void lossCurvesDrawEverySplitOnALogAxisWhenTheySpanMoreThan50x() {
    XYChart all = CurveCharts.loss(history(60, true, true), "MSE loss", 30);
    assertEquals(List.of("training loss", "validation loss", "test loss", "kept epoch 30"), legend(all));
    assertEquals("epoch", all.getXAxisTitle());
    assertEquals("MSE loss (log scale)", all.getYAxisTitle()); // 405 down to about 5: more than 50x
    assertTrue(all.getStyler().isYAxisLogarithmic());
    XYSeries kept = all.getSeriesMap().get("kept epoch 30");
    assertArrayEquals(new double[] {30, 30}, kept.getXData());

    XYChart trainingOnly = CurveCharts.loss(history(60, false, false), "loss", 0);
    assertEquals(List.of("training loss"), legend(trainingOnly));
    assertEquals(60, trainingOnly.getSeriesMap().get("training loss").getXData().length);
    XYChart single = CurveCharts.loss(history(1, false, false), "loss", 0);
    assertEquals(1, single.getSeriesMap().get("training loss").getXData().length);
    assertChartSize(Charts.lossCurves(history(60, true, true), "MSE loss", 30));
    assertChartSize(Charts.lossCurves(history(1, false, false))); // a single point renders
  }

  @Test
  void lossCurvesWithoutAnyFiniteLossIsRefused() {
    List<EpochRecord> h = List.of(new EpochRecord(1, NaN, NaN, NaN, NaN, NaN, 0.1, 0));
    assertThrows(IllegalArgumentException.class, () -> Charts.lossCurves(h));
  }

  @Test
  void metricCurvesNameTheLabelAndUnitAndSayWhichEarlyEpochsAreClipped() {
    // the first epochs' MAE (about 12) is far above the later ones (about 2.5): they run off the top
    CurveCharts.MetricChart m = CurveCharts.metric(history(80, true, true), "MAE", MEDV, 0.9, 10, 40);
    assertEquals(List.of("validation MAE", "test MAE", "validation MAE, EMA 0.9 after epoch 10", "kept epoch 40"),
        legend(m.chart()));
    assertEquals("MAE of MEDV (USD 1000s)", m.chart().getYAxisTitle());
    assertTrue(m.clippedThrough() >= 1 && m.clippedThrough() <= 10, "clipped through " + m.clippedThrough());
    assertTrue(m.chart().getTitle().contains("epochs up to " + m.clippedThrough() + " run off the top"),
        m.chart().getTitle());
    double top = m.chart().getStyler().getYAxisMax();
    double firstValue = m.chart().getSeriesMap().get("validation MAE").getYData()[0];
    assertTrue(firstValue > top, "the first epoch's value lies above the axis: that is the clipping");

    // test split only: the test MAE is the smoothed one; a unitless metric keeps a plain title
    CurveCharts.MetricChart t = CurveCharts.metric(history(80, false, true), "accuracy", MEDV, 0.9, 10, 0);
    assertEquals(List.of("test accuracy", "test accuracy, EMA 0.9 after epoch 10"), legend(t.chart()));
    assertEquals("test accuracy", t.chart().getYAxisTitle());

    // fewer epochs than the skip: nothing is skipped and nothing clipped
    CurveCharts.MetricChart shortRun = CurveCharts.metric(history(5, true, false), "MAE", LabelUnit.NONE, 0.9, 10, 0);
    assertEquals(0, shortRun.clippedThrough());
    assertFalse(shortRun.chart().getTitle().contains("off the top"));
    assertEquals("validation MAE", shortRun.chart().getYAxisTitle());
    assertThrows(IllegalArgumentException.class,
        () -> Charts.metricCurves(history(5, false, false), "MAE", 0.9, 10, 0));
    assertChartSize(Charts.metricCurves(history(80, true, true), "MAE", MEDV, 0.9, 10, 40));
  }

  @Test
  void metricCurvesToleratesGapsInTheHistory() {
    List<EpochRecord> h = new ArrayList<>(history(30, true, false));
    h.set(12, new EpochRecord(13, 1, NaN, NaN, NaN, NaN, 0.01, 0.1));
    h.set(20, new EpochRecord(21, 1, Double.POSITIVE_INFINITY, NaN, NaN, NaN, 0.01, 0.1));
    XYSeries raw = CurveCharts.metric(h, "MAE", LabelUnit.NONE, 0.9, 10, 0).chart().getSeriesMap()
        .get("validation MAE");
    assertEquals(28, raw.getXData().length); // the two gaps are left out, not drawn as zero
    assertFalse(java.util.Arrays.stream(raw.getXData()).anyMatch(x -> x == 13 || x == 21));
    assertChartSize(Charts.lossCurves(h));
  }

  @Test
  void predictedVsActualAndResidualsNameTheLabelAndDropNonFiniteRows() {
    Random r = new Random(2);
    double[] a = new double[300];
    double[] p = new double[300];
    for (int i = 0; i < a.length; i++) {
      a[i] = 50 * r.nextDouble();
      p[i] = a[i] + 3 * r.nextGaussian();
    }
    p[7] = NaN; // dropped, not fatal
    XYChart scatter = PredictionCharts.predictedVsActual(p, a, MEDV);
    assertEquals("actual MEDV (USD 1000s)", scatter.getXAxisTitle());
    assertEquals("predicted MEDV (USD 1000s)", scatter.getYAxisTitle());
    assertEquals(299, scatter.getSeriesMap().get("test rows").getXData().length);
    assertTrue(scatter.getTitle().contains("n = 299"), scatter.getTitle());
    XYSeries diagonal = scatter.getSeriesMap().get("y = x");
    assertArrayEquals(diagonal.getXData(), diagonal.getYData());

    XYChart residuals = PredictionCharts.residualHistogram(p, a, MEDV);
    assertEquals("residual, actual - predicted (USD 1000s)", residuals.getXAxisTitle());
    assertTrue(residuals.getTitle().startsWith("Residuals on the test set (n = 299,"), residuals.getTitle());
    assertEquals("predicted", PredictionCharts.predictedVsActual(p, a, LabelUnit.NONE).getYAxisTitle()
        .replace(" label", ""));
    assertChartSize(Charts.predictedVsActual(p, a));
    assertChartSize(Charts.residualHistogram(p, a));
  }

  @Test
  void largeScatterIsThinnedAndStillRenders() {
    int n = 3 * Charts.MAX_SCATTER_POINTS + 1;
    double[] a = new double[n];
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = i % 1000;
      p[i] = a[i] + (i % 7) - 3;
    }
    XYChart c = PredictionCharts.predictedVsActual(p, a, LabelUnit.NONE);
    assertTrue(c.getSeriesMap().get("test rows").getXData().length <= Charts.MAX_SCATTER_POINTS);
    assertTrue(c.getTitle().contains("every 4th shown"), c.getTitle());
    assertChartSize(Charts.png(c));
    assertChartSize(Charts.residualHistogram(p, a));
  }

  @Test
  void degeneratePredictionsRender() {
    assertChartSize(Charts.predictedVsActual(new double[] {2, 2}, new double[] {2, 2}));
    assertChartSize(Charts.residualHistogram(new double[] {1, 1, 1}, new double[] {1, 1, 1}));
    assertThrows(IllegalArgumentException.class,
        () -> Charts.predictedVsActual(new double[] {NaN}, new double[] {1}));
    assertThrows(IllegalArgumentException.class,
        () -> Charts.residualHistogram(new double[] {1, 2}, new double[] {1}));
  }

  @Test
  void histogramUsesFreedmanDiaconisAndCountsEveryValue() {
    double[] v = new double[1000];
    for (int i = 0; i < v.length; i++) {
      v[i] = i;
    }
    v[999] = 1500; // quartiles 249.75 and 749.25: IQR 499.5, width 2 * 499.5 / cbrt(1000) = 99.9,
                   // bins = ceil(1500 / 99.9) = ceil(15.02) = 16
    PredictionCharts.Histogram h = PredictionCharts.Histogram.of(v);
    assertEquals(16, h.counts().length);
    assertEquals(17, h.edges().length);
    assertEquals(0, h.edges()[0]);
    assertEquals(1500, h.edges()[16]);
    assertEquals(1, h.counts()[15]); // the outlier alone in the last bin
    long total = 0;
    for (long c : h.counts()) {
      total += c;
    }
    assertEquals(1000, total);
    // zero IQR falls back to the square-root rule: 16 values -> 4 bins
    double[] spiky = new double[16];
    spiky[15] = 1;
    assertEquals(4, PredictionCharts.Histogram.of(spiky).counts().length);
    assertArrayEquals(new long[] {5}, PredictionCharts.Histogram.of(new double[] {3, 3, 3, 3, 3}).counts());
  }

  static double[][] foldCurves(int k, int epochs) {
    Random r = new Random(4);
    double[][] folds = new double[k][epochs];
    for (int f = 0; f < k; f++) {
      for (int e = 0; e < epochs; e++) {
        folds[f][e] = 2.5 + 0.1 * f + 12 * Math.exp(-(e + 1) / 8.0) + 0.2 * r.nextGaussian();
      }
    }
    return folds;
  }

  @Test
  void cvFoldLinesDifferInColourOrDashAndManyFoldsShareOneLegendEntry() {
    CvCurves four = CvCurves.of(foldCurves(4, 120), 0.9, 10);
    XYChart c = CvChart.of(four.folds(), four.mean(), four.std(), four.smoothed(), four.bestEpoch(), four.skip(),
        "MAE", MEDV.metricAxis("validation ", "MAE"));
    assertEquals(List.of("\u00b11 std", "fold 1", "fold 2", "fold 3", "fold 4", "mean", "smoothed mean",
        "best epoch"), legend(c));
    assertEquals("validation MAE of MEDV (USD 1000s)", c.getYAxisTitle());
    java.util.Set<String> looks = new java.util.HashSet<>();
    for (int f = 1; f <= 4; f++) {
      XYSeries s = c.getSeriesMap().get("fold " + f);
      looks.add(s.getLineColor().getRGB() + "/" + java.util.Arrays.toString(s.getLineStyle().getDashArray()));
    }
    assertEquals(4, looks.size(), "every fold line looks different");
    assertTrue(c.getTitle().contains("best: epoch " + four.bestEpoch()), c.getTitle());

    CvCurves twelve = CvCurves.of(foldCurves(12, 60), 0.9, 10);
    XYChart many = CvChart.of(twelve.folds(), twelve.mean(), twelve.std(), twelve.smoothed(), twelve.bestEpoch(),
        twelve.skip(), "MAE", "validation MAE");
    assertEquals(List.of("\u00b11 std", "folds 1-12", "mean", "smoothed mean", "best epoch"), legend(many));
    assertEquals(12 + 4 + 1, many.getSeriesMap().size()); // 12 folds, band, mean, smoothed, best epoch, anchor
    assertChartSize(Charts.png(c));

    double[][] one = {{3, 2, 1}};
    assertChartSize(Charts.cvCurves(one, one[0], new double[3], one[0], 0, 0, "MAE"));
    assertThrows(IllegalArgumentException.class,
        () -> Charts.cvCurves(new double[][] {{1, 2}}, new double[] {1, 2, 3}, new double[3], new double[3], 0, 0, "MAE"));
  }

  @Test
  void sweepTicksAreReadableNumbers() {
    XYChart lr = (XYChart) SweepChart.of("learning rate", List.of(1e-4, 7e-4, 1e-2, 1e-1, 1e-3),
        new double[] {5, 3, 2.5, 9, 2.9}, "validation MAE");
    assertEquals("learning rate (log scale)", lr.getXAxisTitle());
    assertTrue(lr.getStyler().isXAxisLogarithmic());
    assertEquals("0.####", lr.getStyler().getXAxisDecimalPattern()); // ticks 0.0001 ... 0.1, never .0001
    assertEquals("0E0", ((XYChart) SweepChart.of("l2", List.of(1e-6, 1e-3), new double[] {1, 2}, "MAE"))
        .getStyler().getXAxisDecimalPattern());
    assertEquals("2.5", lr.getStyler().getyAxisTickLabelsFormattingFunction().apply(2.5));

    // small but not spanning 100x: still no bare ".0007"
    XYChart small = (XYChart) SweepChart.of("weight decay", List.of(5e-4, 7e-4, 2e-3), new double[] {3, 2, 4}, "MAE");
    assertFalse(small.getStyler().isXAxisLogarithmic());
    assertEquals("7e-4", small.getStyler().getxAxisTickLabelsFormattingFunction().apply(7e-4));
    XYChart plain = (XYChart) SweepChart.of("dropout", List.of(0.1, 0.25, 0.5), new double[] {3, 2, 4}, "MAE");
    assertEquals("0.25", plain.getStyler().getxAxisTickLabelsFormattingFunction().apply(0.25));
    XYChart batch = (XYChart) SweepChart.of("batch size", List.of(16, 32, 64, 128), new double[] {2.6, 2.5, 2.7, NaN},
        "MAE");
    assertEquals(3, batch.getSeriesMap().get("runs").getXData().length); // the NaN score is left out
    assertEquals("64", batch.getStyler().getxAxisTickLabelsFormattingFunction().apply(64.0));
  }

  @Test
  void sweepCategoricalAxisKeepsFirstSeenOrderAndStacksRepeats() {
    CategoryChart opt = (CategoryChart) SweepChart.of("optimizer", List.of("sgd", "adam", "sgd", "rmsprop"),
        new double[] {3.1, 2.5, 3.0, 2.7}, "validation MAE");
    assertEquals(List.of("runs", "runs #2"), List.copyOf(opt.getSeriesMap().keySet()));
    assertEquals(List.of("sgd", "adam", "rmsprop"), List.copyOf(opt.getSeriesMap().get("runs").getXData()));
    assertChartSize(Charts.png(opt));
    assertChartSize(Charts.sweep("hidden", List.of(List.of(64), List.of(64, 64)), new double[] {2.6, 2.4}, "MAE"));
    assertThrows(IllegalArgumentException.class, () -> Charts.sweep("x", List.of(1, 2), new double[] {1}, "y"));
    assertThrows(IllegalArgumentException.class, () -> Charts.sweep("x", List.of(1), new double[] {NaN}, "y"));
  }

  @Test
  void chartsAreNotBlank() {
    BufferedImage img = ReportFiles.decode(Charts.lossCurves(history(40, true, false)));
    java.util.Set<Integer> colors = new java.util.HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 3) {
      for (int x = 0; x < img.getWidth(); x += 3) {
        colors.add(img.getRGB(x, y));
      }
    }
    assertTrue(colors.size() > 20, "a chart with curves, text and grid has many colours, got " + colors.size());
  }
}
