package sparksgd.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sums from which regression metrics are finished on the driver, in the label's own units:
 * {@code [rows, lossSum, sumSquaredError, sumAbsError, sumY, sumY2]}. Sums merge by addition.
 */
public final class RegressionMetrics {
  public static final int WIDTH = 6;
  static final int ROWS = 0;
  static final int LOSS = 1;
  static final int SSE = 2;
  static final int SAE = 3;
  static final int SY = 4;
  static final int SYY = 5;

  private RegressionMetrics() {}

  /** Adds one prediction (label units) and its training-units loss. */
  public static void add(double[] acc, double prediction, double label, double loss) {
    double e = prediction - label;
    acc[ROWS] += 1;
    acc[LOSS] += loss;
    acc[SSE] += e * e;
    acc[SAE] += Math.abs(e);
    acc[SY] += label;
    acc[SYY] += label * label;
  }

  public static double rows(double[] acc) {
    return acc[ROWS];
  }

  /** Mean loss in training units (what the optimizer minimizes). */
  public static double loss(double[] acc) {
    return acc[LOSS] / acc[ROWS];
  }

  public static double mae(double[] acc) {
    return acc[SAE] / acc[ROWS];
  }

  /** mse, mae, rmse, r2 in the label's units. */
  public static Map<String, Double> finish(double[] acc) {
    double n = acc[ROWS];
    double mse = acc[SSE] / n;
    double ssTot = acc[SYY] - acc[SY] * acc[SY] / n;
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("mse", mse);
    m.put("mae", acc[SAE] / n);
    m.put("rmse", Math.sqrt(mse));
    m.put("r2", ssTot > 0 ? 1 - acc[SSE] / ssTot : Double.NaN);
    m.put("rows", n);
    return m;
  }
}
