package sparksgd.data;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Weighted column statistics of sample-weighted rows ({@code data.weight}): weighted mean and population
 * variance (West's update, Chan's merge), and min/max over the rows of positive weight. A row of integer
 * weight w counts exactly as w copies of it; a row of weight 0 counts as absent.
 */
public final class WeightedMoments implements Serializable {
  private static final long serialVersionUID = 1L;
  private final double[] mean;
  private final double[] m2;
  private final double[] min;
  private final double[] max;
  private double weight;
  private long rows;

  public WeightedMoments(int columns) {
    mean = new double[columns];
    m2 = new double[columns];
    min = new double[columns];
    max = new double[columns];
    Arrays.fill(min, Double.POSITIVE_INFINITY);
    Arrays.fill(max, Double.NEGATIVE_INFINITY);
  }

  public void add(double[] row, double w) {
    if (w == 0) {
      return;
    }
    rows++;
    weight += w;
    for (int j = 0; j < mean.length; j++) {
      double x = row[j];
      double delta = x - mean[j];
      mean[j] += delta * (w / weight);
      m2[j] += w * delta * (x - mean[j]);
      min[j] = Math.min(min[j], x);
      max[j] = Math.max(max[j], x);
    }
  }

  /** Adds {@code o}'s rows to this one's; returns this. */
  public WeightedMoments merge(WeightedMoments o) {
    if (o.weight == 0) {
      return this;
    }
    double total = weight + o.weight;
    for (int j = 0; j < mean.length; j++) {
      double delta = o.mean[j] - mean[j];
      mean[j] += delta * (o.weight / total);
      m2[j] += o.m2[j] + delta * delta * (weight * o.weight / total);
      min[j] = Math.min(min[j], o.min[j]);
      max[j] = Math.max(max[j], o.max[j]);
    }
    weight = total;
    rows += o.rows;
    return this;
  }

  /** The weight sum. */
  public double weight() {
    return weight;
  }

  /** Rows of positive weight. */
  public long rows() {
    return rows;
  }

  public double[] mean() {
    return mean.clone();
  }

  /** Weighted population standard deviations. */
  public double[] std() {
    double[] s = new double[mean.length];
    for (int j = 0; j < s.length; j++) {
      s[j] = weight > 0 ? Math.sqrt(Math.max(0, m2[j] / weight)) : 0;
    }
    return s;
  }

  public double[] min() {
    return min.clone();
  }

  public double[] max() {
    return max.clone();
  }
}
