package sparksgd.report;

import java.util.List;
import java.util.function.ToDoubleFunction;
import sparksgd.train.EpochRecord;

/** Array helpers of the charts: finite points only, extremes that ignore NaN. Package-private. */
final class ChartData {
  private ChartData() {}

  /** {x = epoch, y = value} for the rows where the value is finite. */
  static double[][] finite(List<EpochRecord> h, ToDoubleFunction<EpochRecord> f) {
    double[] x = new double[h.size()];
    double[] y = new double[h.size()];
    for (int i = 0; i < h.size(); i++) {
      x[i] = h.get(i).epoch();
      y[i] = f.applyAsDouble(h.get(i));
    }
    return dropNaN(x, y);
  }

  /** The points whose y is finite. */
  static double[][] dropNaN(double[] x, double[] y) {
    int n = 0;
    for (double v : y) {
      if (Double.isFinite(v)) {
        n++;
      }
    }
    double[] ox = new double[n];
    double[] oy = new double[n];
    for (int i = 0, j = 0; i < y.length; i++) {
      if (Double.isFinite(y[i])) {
        ox[j] = x[i];
        oy[j++] = y[i];
      }
    }
    return new double[][] {ox, oy};
  }

  /** {predicted, actual} restricted to the pairs where both are finite. */
  static double[][] finitePairs(double[] predicted, double[] actual) {
    if (predicted.length != actual.length) {
      throw new IllegalArgumentException(predicted.length + " predictions but " + actual.length + " actual values");
    }
    int n = 0;
    for (int i = 0; i < predicted.length; i++) {
      if (Double.isFinite(predicted[i]) && Double.isFinite(actual[i])) {
        n++;
      }
    }
    double[] p = new double[n];
    double[] a = new double[n];
    for (int i = 0, j = 0; i < predicted.length; i++) {
      if (Double.isFinite(predicted[i]) && Double.isFinite(actual[i])) {
        p[j] = predicted[i];
        a[j++] = actual[i];
      }
    }
    return new double[][] {p, a};
  }

  /** Largest value of {@code s} (x, y) at x >= from. */
  static double maxFrom(double[][] s, double from) {
    double m = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < s[0].length; i++) {
      if (s[0][i] >= from) {
        m = Math.max(m, s[1][i]);
      }
    }
    return m;
  }

  /** Largest value of {@code s} (x, y) at x < before. */
  static double maxBefore(double[][] s, double before) {
    double m = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < s[0].length; i++) {
      if (s[0][i] < before) {
        m = Math.max(m, s[1][i]);
      }
    }
    return m;
  }

  static double[] plus(double[] a, double[] b, double sign) {
    double[] o = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      o[i] = a[i] + sign * b[i];
    }
    return o;
  }

  static double min(double[] v) {
    double m = Double.POSITIVE_INFINITY;
    for (double x : v) {
      m = Math.min(m, x);
    }
    return m;
  }

  static double max(double[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      m = Math.max(m, x);
    }
    return m;
  }

  static double minFinite(double m, double v) {
    return Double.isFinite(v) ? Math.min(m, v) : m;
  }

  static double maxFinite(double m, double v) {
    return Double.isFinite(v) ? Math.max(m, v) : m;
  }
}
