package sparksgd.report;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sparksgd.train.EpochRecord;

/**
 * A training run's report: {@code report.html} and the PNG charts it shows, as file name to bytes. The
 * map lists the PNGs first and {@code report.html} last, so a caller writing them in order never leaves
 * a report that points at a missing picture. Charts whose data is absent are left out (and not referenced).
 *
 * <pre>{@code
 * Map<String, byte[]> files = RunReport.builder("boston-mlp")
 *     .history(rows).testPredictions(predicted, actual)
 *     .metrics(Map.of("train", trainMetrics, "test", testMetrics))
 *     .jobText(job.resolvedHocon()).build();
 * files.forEach(run::writeBytes);
 * }</pre>
 */
public final class RunReport {
  public static final String REPORT = "report.html";
  public static final String LOSS = "loss.png";
  public static final String PRED_VS_ACTUAL = "pred_vs_actual.png";
  public static final String RESIDUALS = "residuals.png";

  private RunReport() {}

  /** The metric chart's file: {@code val_mae.png} for "mae", {@code val_accuracy.png} for "accuracy". */
  public static String metricFile(String metric) {
    return "val_" + metric.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "_") + ".png";
  }

  /** All defaults: metric "mae", EMA factor 0.9 skipping 10 epochs, no marked epoch. */
  public static Map<String, byte[]> render(String title, List<EpochRecord> history, double[] predicted,
      double[] actual, Map<String, Map<String, Double>> metrics, String jobText) {
    return builder(title).history(history).testPredictions(predicted, actual).metrics(metrics).jobText(jobText)
        .build();
  }

  public static Builder builder(String title) {
    return new Builder(title);
  }

  public static final class Builder extends ReportBuilder<Builder> {
    private List<EpochRecord> history = List.of();
    private String lossLabel = "loss";
    private double[] predicted;
    private double[] actual;
    private double factor = 0.9;
    private int skipFirst = 10;
    private int keptEpoch;
    private ConfusionTable confusion;

    private Builder(String title) {
      super(title);
    }

    /** The per-epoch rows (as in history.csv). */
    public Builder history(List<EpochRecord> rows) {
      this.history = rows == null ? List.of() : List.copyOf(rows);
      return this;
    }

    /** The loss axis name, e.g. "MSE loss" (default "loss"). */
    public Builder lossLabel(String label) {
      this.lossLabel = label;
      return this;
    }

    /** Test-set predictions and labels (regression); null for none. Pass a sample for very large test sets. */
    public Builder testPredictions(double[] predicted, double[] actual) {
      if ((predicted == null) != (actual == null)) {
        throw new IllegalArgumentException("give both predicted and actual, or neither");
      }
      this.predicted = predicted;
      this.actual = actual;
      return this;
    }

    /** EMA of the metric curve (default 0.9, skipping the first 10 epochs, as the course does). */
    public Builder smoothing(double factor, int skipFirst) {
      Smoothing.ema(new double[0], factor, skipFirst); // validates
      this.factor = factor;
      this.skipFirst = skipFirst;
      return this;
    }

    /** The epoch whose weights were kept (early stopping with restore-best), marked on the curves; 0 for none. */
    public Builder keptEpoch(int epoch) {
      this.keptEpoch = epoch;
      return this;
    }

    /** A classifier's test-set confusion matrix, shown under the summary; null for none. */
    public Builder confusionMatrix(ConfusionTable table) {
      this.confusion = table;
      return this;
    }

    public Map<String, byte[]> build() {
      // Charts are drawn and PNG-encoded concurrently (about 0.1 s each, single-threaded): the report is
      // the last thing a short run waits for, and the second core is idle then.
      Map<String, java.util.function.Supplier<byte[]>> files = new LinkedHashMap<>();
      List<ReportHtml.Figure> figures = new ArrayList<>();
      String m = metricName(metric);
      boolean anyLoss = history.stream().anyMatch(
          r -> Double.isFinite(r.trainLoss()) || Double.isFinite(r.validationLoss()) || Double.isFinite(r.testLoss()));
      if (anyLoss) {
        files.put(LOSS, () -> Charts.lossCurves(history, lossLabel, keptEpoch));
        figures.add(new ReportHtml.Figure(LOSS, "Loss per epoch: training"
            + (history.stream().anyMatch(r -> Double.isFinite(r.validationLoss())) ? ", validation" : "")
            + (history.stream().anyMatch(r -> Double.isFinite(r.testLoss())) ? ", test" : "")
            + ". Training loss is averaged over the rows of the epoch's steps while the weights change; the others are measured after the epoch."));
      }
      boolean hasVal = history.stream().anyMatch(r -> Double.isFinite(r.validationMetric()));
      boolean hasTest = history.stream().anyMatch(r -> Double.isFinite(r.testMetric()));
      if (hasVal || hasTest) {
        String file = metricFile(metric);
        CurveCharts.MetricChart chart = CurveCharts.metric(history, m, label, factor, skipFirst, keptEpoch);
        files.put(file, () -> Charts.png(chart.chart()));
        long points = history.stream().filter(r -> Double.isFinite(hasVal ? r.validationMetric() : r.testMetric())).count();
        int skip = Smoothing.effectiveSkip(skipFirst, (int) Math.min(Integer.MAX_VALUE, points));
        figures.add(new ReportHtml.Figure(file, (hasVal ? "Validation " : "Test ") + m
            + " per epoch, raw and smoothed by an exponential moving average (factor " + Charts.num(factor)
            + (skip > 0 ? ", starting after the first " + skip + " epochs" : "") + ")."
            + (hasVal && hasTest ? " The test " + m + " is drawn raw." : "")
            + (chart.clippedThrough() > 0 ? " The y range fits the later epochs: values of epochs up to "
                + chart.clippedThrough() + " run off the top." : "")));
      }
      if (predicted != null && hasFinitePair(predicted, actual)) {
        files.put(PRED_VS_ACTUAL, () -> Charts.predictedVsActual(predicted, actual, label));
        figures.add(new ReportHtml.Figure(PRED_VS_ACTUAL,
            "Predicted against actual label on the test set; points on the dashed line are exact."));
        files.put(RESIDUALS, () -> Charts.residualHistogram(predicted, actual, label));
        figures.add(new ReportHtml.Figure(RESIDUALS,
            "Histogram of test-set residuals (actual minus predicted), Freedman-Diaconis bins."));
      }
      List<String> allNotes = new ArrayList<>(notes);
      if (!history.isEmpty()) {
        allNotes.add(history.size() + " epochs recorded (epochs " + history.get(0).epoch() + " to "
            + history.get(history.size() - 1).epoch() + ")."
            + (keptEpoch > 0 ? " Weights kept from epoch " + keptEpoch + "." : ""));
      }
      String html = ReportHtml.render(title, allNotes, metrics, jobText, figures, confusion);
      files.put(REPORT, () -> html.getBytes(StandardCharsets.UTF_8));
      return rendered(files);
    }
  }

  /** Every file's bytes, in the map's order, made on up to two threads. */
  private static Map<String, byte[]> rendered(Map<String, java.util.function.Supplier<byte[]>> files) {
    List<Map.Entry<String, java.util.function.Supplier<byte[]>>> entries = new ArrayList<>(files.entrySet());
    byte[][] bytes = new byte[entries.size()][];
    java.util.stream.IntStream.range(0, entries.size()).parallel()
        .forEach(i -> bytes[i] = entries.get(i).getValue().get());
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (int i = 0; i < bytes.length; i++) {
      out.put(entries.get(i).getKey(), bytes[i]);
    }
    return out;
  }

  private static boolean hasFinitePair(double[] p, double[] a) {
    if (p.length != a.length) {
      throw new IllegalArgumentException(p.length + " predictions but " + a.length + " actual values");
    }
    for (int i = 0; i < p.length; i++) {
      if (Double.isFinite(p[i]) && Double.isFinite(a[i])) {
        return true;
      }
    }
    return false;
  }

  /** "mae" -> "MAE" and the like; other names unchanged. */
  static String metricName(String metric) {
    return switch (metric.toLowerCase(Locale.ROOT)) {
      case "mae", "mse", "rmse", "r2" -> metric.toUpperCase(Locale.ROOT);
      default -> metric;
    };
  }
}
