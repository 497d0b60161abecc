package sparksgd.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Regression metrics in the label's own units from the sums
 * {@code [rows, lossSum, sumSquaredError, sumAbsError, sumY, sumY2]}; predictions and labels are
 * de-normalized with the label's shift and scale first.
 */
public final class RegressionMetrics implements Metrics {
  public static final int WIDTH = 6;
  static final int ROWS = 0;
  static final int LOSS = 1;
  static final int SSE = 2;
  static final int SAE = 3;
  static final int SY = 4;
  static final int SYY = 5;
  private final double labelShift;
  private final double labelScale;

  public RegressionMetrics(double labelShift, double labelScale) {
    this.labelShift = labelShift;
    this.labelScale = labelScale;
  }

  @Override
  public int width() {
    return WIDTH;
  }

  @Override
  public void add(double[] acc, double[] z, int zOff, int k, double label, double rowLoss) {
    add(acc, z[zOff] * labelScale + labelShift, label * labelScale + labelShift, rowLoss);
  }

  @Override
  public void add(double[] acc, double[] z, int zOff, int k, double label, double rowLoss, double weight) {
    addWeighted(acc, z[zOff] * labelScale + labelShift, label * labelScale + labelShift, rowLoss, weight);
  }

  /** {@link #add(double[], double, double, double)} for a row of sample weight {@code weight}. */
  public static void addWeighted(double[] acc, double prediction, double y, double rowLoss, double weight) {
    double e = prediction - y;
    acc[ROWS] += weight;
    acc[LOSS] += weight * rowLoss;
    acc[SSE] += weight * e * e;
    acc[SAE] += weight * Math.abs(e);
    acc[SY] += weight * y;
    acc[SYY] += weight * y * y;
  }

  /** Adds one prediction and label (label units) and its training-units loss. */
  public static void add(double[] acc, double prediction, double label, double loss) {
    double e = prediction - label;
    acc[ROWS] += 1;
    acc[LOSS] += loss;
    acc[SSE] += e * e;
    acc[SAE] += Math.abs(e);
    acc[SY] += label;
    acc[SYY] += label * label;
  }

  @Override
  public double loss(double[] acc) {
    return acc[LOSS] / acc[ROWS];
  }

  @Override
  public double headline(double[] acc) {
    return acc[SAE] / acc[ROWS];
  }

  @Override
  public String headlineName() {
    return "mae";
  }

  @Override
  public boolean higherIsBetter() {
    return false;
  }

  /** mse, mae, rmse, r2 in the label's units. */
  @Override
  public Map<String, Double> finish(double[] acc) {
    return summary(acc);
  }

  public static Map<String, Double> summary(double[] acc) {
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
