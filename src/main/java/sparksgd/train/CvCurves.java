package sparksgd.train;

/**
 * Per-epoch summary of K folds' validation curves: mean, population std, the mean smoothed by an
 * exponential moving average that skips the first epochs (as the course material does), and the
 * best smoothed epoch.
 */
public record CvCurves(double[][] folds, double[] mean, double[] std, double[] smoothed, int skip, int bestEpoch,
    double bestScore) {

  /** As below, for MAE (lower is better). */
  public static CvCurves of(double[][] folds, double smoothing, int skip) {
    return of(folds, smoothing, skip, Metric.MAE);
  }

  /**
   * {@code folds[f][e]}: fold f's validation {@code metric} after epoch e+1; all folds have the same
   * length. The best smoothed epoch is the lowest, or the highest for a metric where higher is better.
   */
  public static CvCurves of(double[][] folds, double smoothing, int skip, Metric metric) {
    int epochs = folds[0].length;
    double[] mean = new double[epochs];
    double[] std = new double[epochs];
    for (int e = 0; e < epochs; e++) {
      double s = 0;
      for (double[] f : folds) {
        s += f[e];
      }
      mean[e] = s / folds.length;
      double ss = 0;
      for (double[] f : folds) {
        ss += (f[e] - mean[e]) * (f[e] - mean[e]);
      }
      std[e] = Math.sqrt(ss / folds.length);
    }
    int kept = skip < epochs ? skip : 0;
    double[] smoothed = ema(mean, smoothing, kept);
    int best = kept;
    for (int e = kept; e < epochs; e++) {
      if (metric.improves(smoothed[e], smoothed[best], 0)) {
        best = e;
      }
    }
    return new CvCurves(folds, mean, std, smoothed, kept, best + 1, smoothed[best]);
  }

  /**
   * The course's smoothing: points before {@code skip} are NaN; the first kept point starts the
   * average, then {@code s[i] = s[i-1] * factor + x[i] * (1 - factor)}.
   */
  public static double[] ema(double[] x, double factor, int skip) {
    double[] s = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      s[i] = i < skip ? Double.NaN : i == skip ? x[i] : s[i - 1] * factor + x[i] * (1 - factor);
    }
    return s;
  }
}
