package sparksgd.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Classification metrics from the sums {@code [rows, lossSum, correct, tp[K], fp[K], fn[K]]}: accuracy,
 * log loss (the cross-entropy the model minimizes) and F1 weighted by class support, which is what
 * Spark's {@code MulticlassClassificationEvaluator} reports as "f1". Binary models (one sigmoid output)
 * count as two classes.
 */
public final class ClassificationMetrics implements Metrics {
  private final int classes;

  public ClassificationMetrics(int classes) {
    this.classes = classes;
  }

  @Override
  public int width() {
    return 3 + 3 * classes;
  }

  /** The predicted class of one row of raw outputs. */
  public static int predictedClass(double[] z, int zOff, int k) {
    if (k == 1) {
      return z[zOff] > 0 ? 1 : 0; // sigmoid(z) > 0.5
    }
    int best = 0;
    for (int c = 1; c < k; c++) {
      if (z[zOff + c] > z[zOff + best]) {
        best = c;
      }
    }
    return best;
  }

  @Override
  public void add(double[] acc, double[] z, int zOff, int k, double label, double rowLoss) {
    int predicted = predictedClass(z, zOff, k);
    int actual = (int) label;
    acc[0] += 1;
    acc[1] += rowLoss;
    if (predicted == actual) {
      acc[2] += 1;
      acc[3 + actual] += 1;
    } else {
      acc[3 + classes + predicted] += 1;
      acc[3 + 2 * classes + actual] += 1;
    }
  }

  @Override
  public void add(double[] acc, double[] z, int zOff, int k, double label, double rowLoss, double weight) {
    int predicted = predictedClass(z, zOff, k);
    int actual = (int) label;
    acc[0] += weight;
    acc[1] += weight * rowLoss;
    if (predicted == actual) {
      acc[2] += weight;
      acc[3 + actual] += weight;
    } else {
      acc[3 + classes + predicted] += weight;
      acc[3 + 2 * classes + actual] += weight;
    }
  }

  @Override
  public double loss(double[] acc) {
    return acc[1] / acc[0];
  }

  @Override
  public double headline(double[] acc) {
    return acc[2] / acc[0];
  }

  @Override
  public String headlineName() {
    return "accuracy";
  }

  @Override
  public boolean higherIsBetter() {
    return true;
  }

  @Override
  public Map<String, Double> finish(double[] acc) {
    double n = acc[0];
    double weightedF1 = 0;
    for (int c = 0; c < classes; c++) {
      double tp = acc[3 + c];
      double fp = acc[3 + classes + c];
      double fn = acc[3 + 2 * classes + c];
      double support = tp + fn;
      double precision = tp + fp > 0 ? tp / (tp + fp) : 0;
      double recall = support > 0 ? tp / support : 0;
      double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
      weightedF1 += f1 * support / n;
    }
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("accuracy", acc[2] / n);
    m.put("logloss", acc[1] / n);
    m.put("f1", weightedF1);
    m.put("rows", n);
    return m;
  }
}
