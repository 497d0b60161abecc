package sparksgd.report;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sparksgd.train.CvCurves;

/**
 * A cross-validation's report: {@code cv.png} (every fold's curve, the mean with a plus/minus one std
 * band, the smoothed mean, the best epoch) and {@code report.html}, as file name to bytes, PNG first.
 *
 * <pre>{@code
 * Map<String, byte[]> files = CvReport.builder("boston-mlp, 4-fold CV")
 *     .curves(cvCurves).smoothing(job.cv().smoothing()).jobText(job.resolvedHocon()).build();
 * files.forEach(run::writeBytes);
 * }</pre>
 */
public final class CvReport {
  public static final String REPORT = RunReport.REPORT;
  public static final String CHART = "cv.png";

  private CvReport() {}

  public static Builder builder(String title) {
    return new Builder(title);
  }

  public static final class Builder extends ReportBuilder<Builder> {
    private double[][] folds;
    private double[] mean;
    private double[] std;
    private double[] smoothed;
    private int bestEpoch;
    private int skip;
    private double factor = Double.NaN;

    private Builder(String title) {
      super(title);
    }

    /** The curves as CrossValidation computed them (folds, mean, std, smoothed, skip, best epoch). */
    public Builder curves(CvCurves c) {
      return curves(c.folds(), c.mean(), c.std(), c.smoothed(), c.bestEpoch()).skip(c.skip());
    }

    /**
     * {@code folds[f][e]}: fold f's validation metric after epoch e+1; mean, std and smoothed (NaN where
     * skipped) per epoch; {@code bestEpoch} 1-based, 0 for none.
     */
    public Builder curves(double[][] folds, double[] mean, double[] std, double[] smoothed, int bestEpoch) {
      this.folds = folds;
      this.mean = mean;
      this.std = std;
      this.smoothed = smoothed;
      this.bestEpoch = bestEpoch;
      return this;
    }

    /** Epochs left out of the smoothing; the chart's y range is fitted to the epochs after them. */
    public Builder skip(int epochs) {
      this.skip = epochs;
      return this;
    }

    /** The EMA factor used for {@code smoothed}, for the caption and summary. */
    public Builder smoothing(double factor) {
      this.factor = factor;
      return this;
    }

    public Map<String, byte[]> build() {
      if (folds == null) {
        throw new IllegalStateException("no curves given");
      }
      String m = RunReport.metricName(metric);
      int epochs = mean.length;
      Map<String, byte[]> files = new LinkedHashMap<>();
      files.put(CHART, Charts.cvCurves(folds, mean, std, smoothed, bestEpoch, skip, m, label));

      Map<String, Double> cv = new LinkedHashMap<>();
      cv.put("folds", (double) folds.length);
      cv.put("epochs", (double) epochs);
      if (!Double.isNaN(factor)) {
        cv.put("smoothing factor", factor);
      }
      cv.put("epochs skipped before smoothing", (double) skip);
      if (bestEpoch > 0 && bestEpoch <= epochs) {
        cv.put("best smoothed epoch", (double) bestEpoch);
        cv.put("smoothed mean " + m + " at best epoch", smoothed[bestEpoch - 1]);
        cv.put("mean " + m + " at best epoch", mean[bestEpoch - 1]);
        cv.put("std " + m + " at best epoch", std[bestEpoch - 1]);
      }
      cv.put("mean " + m + " at last epoch", mean[epochs - 1]);
      cv.put("std " + m + " at last epoch", std[epochs - 1]);
      Map<String, Map<String, Double>> table = new LinkedHashMap<>();
      table.put("cross-validation", cv);
      table.putAll(metrics);

      List<String> allNotes = new ArrayList<>(notes);
      String caption = "Validation " + m + " per epoch for each of the " + folds.length
          + " folds (thin lines), their mean (black) with a band of plus/minus one standard deviation across folds,"
          + " and the mean smoothed by an exponential moving average"
          + (Double.isNaN(factor) ? "" : " (factor " + Charts.num(factor) + ")")
          + (skip > 0 ? " after skipping the first " + skip + " epochs; the y axis is fitted to those later epochs" : "")
          + "." + (bestEpoch > 0 ? " The dashed line marks the best smoothed epoch." : "");
      String html = ReportHtml.render(title, allNotes, table, jobText, List.of(new ReportHtml.Figure(CHART, caption)));
      files.put(REPORT, html.getBytes(StandardCharsets.UTF_8));
      return files;
    }
  }
}
