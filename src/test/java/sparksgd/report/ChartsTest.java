package sparksgd.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sparksgd.report.ReportFiles.assertChartSize;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
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

  @Test
  void lossCurvesWithAllSplitsAndWithTrainingOnly() {
    assertChartSize(Charts.lossCurves(history(60, true, true), "MSE loss", 30));
    assertChartSize(Charts.lossCurves(history(60, false, false)));
    assertChartSize(Charts.lossCurves(history(1, false, false))); // a single point
  }

  @Test
  void lossCurvesWithoutAnyFiniteLossIsRefused() {
    List<EpochRecord> h = List.of(new EpochRecord(1, NaN, NaN, NaN, NaN, NaN, 0.1, 0));
    assertThrows(IllegalArgumentException.class, () -> Charts.lossCurves(h));
  }

  @Test
  void metricCurvesWithValidationWithTestOnlyAndShortRuns() {
    assertChartSize(Charts.metricCurves(history(80, true, true), "MAE", 0.9, 10, 40));
    assertChartSize(Charts.metricCurves(history(80, false, true), "MAE", 0.9, 10, 0));
    assertChartSize(Charts.metricCurves(history(5, true, false), "MAE", 0.9, 10, 0)); // skip > epochs
    assertThrows(IllegalArgumentException.class,
        () -> Charts.metricCurves(history(5, false, false), "MAE", 0.9, 10, 0));
  }

  @Test
  void metricCurvesToleratesGapsInTheHistory() {
    List<EpochRecord> h = new ArrayList<>(history(30, true, false));
    h.set(12, new EpochRecord(13, 1, NaN, NaN, NaN, NaN, 0.01, 0.1));
    h.set(20, new EpochRecord(21, 1, Double.POSITIVE_INFINITY, NaN, NaN, NaN, 0.01, 0.1));
    assertChartSize(Charts.metricCurves(h, "MAE", 0.9, 10, 0));
    assertChartSize(Charts.lossCurves(h));
  }

  @Test
  void predictedVsActualAndResiduals() {
    Random r = new Random(2);
    double[] a = new double[300];
    double[] p = new double[300];
    for (int i = 0; i < a.length; i++) {
      a[i] = 50 * r.nextDouble();
      p[i] = a[i] + 3 * r.nextGaussian();
    }
    p[7] = NaN; // dropped, not fatal
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
    assertChartSize(Charts.predictedVsActual(p, a));
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
    Charts.Histogram h = Charts.Histogram.of(v);
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
    assertEquals(4, Charts.Histogram.of(spiky).counts().length);
    assertArrayEquals(new long[] {5}, Charts.Histogram.of(new double[] {3, 3, 3, 3, 3}).counts());
  }

  @Test
  void cvCurvesWithFewAndManyFolds() {
    Random r = new Random(4);
    for (int k : new int[] {4, 10}) {
      double[][] folds = new double[k][120];
      for (int f = 0; f < k; f++) {
        for (int e = 0; e < 120; e++) {
          folds[f][e] = 2.5 + 0.1 * f + 12 * Math.exp(-(e + 1) / 8.0) + 0.2 * r.nextGaussian();
        }
      }
      CvCurves c = CvCurves.of(folds, 0.9, 10);
      assertChartSize(Charts.cvCurves(c.folds(), c.mean(), c.std(), c.smoothed(), c.bestEpoch(), c.skip(), "MAE"));
    }
    double[][] one = {{3, 2, 1}};
    assertChartSize(Charts.cvCurves(one, one[0], new double[3], one[0], 0, 0, "MAE"));
    assertThrows(IllegalArgumentException.class,
        () -> Charts.cvCurves(new double[][] {{1, 2}}, new double[] {1, 2, 3}, new double[3], new double[3], 0, 0, "MAE"));
  }

  @Test
  void sweepNumericLogCategoricalAndRepeated() {
    assertChartSize(Charts.sweep("learning rate", List.of(1e-4, 1e-3, 1e-2, 1e-1, 1e-3),
        new double[] {5, 3, 2.5, 9, 2.9}, "validation MAE"));
    assertChartSize(Charts.sweep("batch size", List.of(16, 32, 64, 128), new double[] {2.6, 2.5, 2.7, NaN}, "MAE"));
    assertChartSize(Charts.sweep("optimizer", List.of("sgd", "adam", "sgd", "rmsprop"),
        new double[] {3.1, 2.5, 3.0, 2.7}, "validation MAE"));
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
