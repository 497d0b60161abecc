package sparksgd.data;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * Seeded synthetic rows: row {@code i}'s features and label come from a random stream seeded by
 * (seed, i) alone, so the same rows appear whatever the partitioning. Features are N(0, 1); the label
 * is the course's linear model {@code y = w.x + b + noise} or a random "teacher" MLP (one tanh hidden
 * layer) plus noise, for nonlinear targets.
 */
public final class SyntheticRows implements Serializable {
  private final long seed;
  private final double[] weights;
  private final double bias;
  private final double noise;
  private final double[] teacher; // null for linear: [W1 (d x h), b1 (h), w2 (h), b2]
  private final int hidden;

  private SyntheticRows(long seed, double[] weights, double bias, double noise, double[] teacher, int hidden) {
    this.seed = seed;
    this.weights = weights;
    this.bias = bias;
    this.noise = noise;
    this.teacher = teacher;
    this.hidden = hidden;
  }

  /** y = w.x + b + N(0, noise^2); without weights: the course's [2, -3.4] for 2 features, else seeded U(-5, 5). */
  public static SyntheticRows linear(long seed, int features, double[] weights, double bias, double noise) {
    double[] w = weights;
    if (w == null) {
      w = new double[features];
      if (features == 2) {
        w[0] = 2;
        w[1] = -3.4;
      } else {
        SplittableRandom r = new SplittableRandom(Mix.hash(seed, 0x11AEL));
        for (int j = 0; j < features; j++) {
          w[j] = r.nextDouble(-5, 5);
        }
      }
    }
    if (w.length != features) {
      throw new IllegalArgumentException("--weights has " + w.length + " values for " + features + " features");
    }
    return new SyntheticRows(seed, w, bias, noise, null, 0);
  }

  /** A seeded random teacher network d -> hidden (tanh) -> 1. */
  public static SyntheticRows teacher(long seed, int features, int hidden, double noise) {
    SplittableRandom r = new SplittableRandom(Mix.hash(seed, 0x7EAC4L));
    double[] t = new double[features * hidden + hidden + hidden + 1];
    for (int i = 0; i < t.length; i++) {
      t[i] = r.nextGaussian() / Math.sqrt(i < features * hidden ? features : hidden);
    }
    return new SyntheticRows(seed, new double[features], 0, noise, t, hidden);
  }

  public int features() {
    return weights.length;
  }

  /** Row {@code i}: {@code [features..., label]}. */
  public double[] row(long i) {
    SplittableRandom r = new SplittableRandom(Mix.hash(seed, 0x5A3DL, i));
    int d = weights.length;
    double[] v = new double[d + 1];
    for (int j = 0; j < d; j++) {
      v[j] = r.nextGaussian();
    }
    double y;
    if (teacher == null) {
      y = bias;
      for (int j = 0; j < d; j++) {
        y += weights[j] * v[j];
      }
    } else {
      int b1 = d * hidden;
      int w2 = b1 + hidden;
      y = teacher[w2 + hidden];
      for (int h = 0; h < hidden; h++) {
        double a = teacher[b1 + h];
        for (int j = 0; j < d; j++) {
          a += v[j] * teacher[j * hidden + h];
        }
        y += Math.tanh(a) * teacher[w2 + h];
      }
    }
    v[d] = y + noise * r.nextGaussian();
    return v;
  }
}
