package sparksgd.report;

/** Exponential moving average as the course material smooths validation curves. */
public final class Smoothing {
  private Smoothing() {}

  /**
   * Skips the first {@code skipFirst} points (NaN in the result), starts the average at the first kept
   * point, then {@code s[i] = s[i-1] * factor + x[i] * (1 - factor)}. The result has the input's length;
   * with {@code skipFirst >= x.length} every point is NaN. A NaN input propagates from where it occurs.
   * Same rule as {@code sparksgd.train.CvCurves.ema}.
   *
   * @param factor weight of the previous smoothed value, in [0, 1); 0 returns the input unchanged
   */
  public static double[] ema(double[] values, double factor, int skipFirst) {
    if (!(factor >= 0 && factor < 1)) {
      throw new IllegalArgumentException("smoothing factor must be in [0, 1), got " + factor);
    }
    if (skipFirst < 0) {
      throw new IllegalArgumentException("skipFirst must be >= 0, got " + skipFirst);
    }
    return sparksgd.train.CvCurves.ema(values, factor, skipFirst); // one implementation of the rule
  }

  /** The skip a report uses for {@code n} points: {@code skipFirst} when it leaves a point, else 0 (as CvCurves). */
  public static int effectiveSkip(int skipFirst, int n) {
    return skipFirst >= 0 && skipFirst < n ? skipFirst : 0;
  }
}
