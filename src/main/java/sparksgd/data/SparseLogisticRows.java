package sparksgd.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded sparse binary-classification rows, each a pure function of (seed, row id), so any partitioning
 * gives the same data: {@code nnz} distinct features out of {@code features}, each with value 1 (a hashed
 * click log or bag of words), and a 0/1 label drawn from {@code sigmoid(w . x)}, where the true weight of
 * feature j is a seeded standard normal times {@code 1 / sqrt(nnz)}, never stored whole.
 */
public final class SparseLogisticRows implements Serializable {
  private static final long serialVersionUID = 1L;
  private final long seed;
  private final int features;
  private final int nnz;

  public SparseLogisticRows(long seed, int features, int nnz) {
    if (features < 1 || nnz < 1 || nnz > features) {
      throw new IllegalArgumentException("need 1 <= nnz <= features, got nnz " + nnz + " of " + features);
    }
    this.seed = seed;
    this.features = features;
    this.nnz = nnz;
  }

  public int features() {
    return features;
  }

  public int nnz() {
    return nnz;
  }

  /** Row {@code id}'s ascending 0-based feature indices (all values are 1). */
  public int[] columns(long id) {
    SplittableRandom rnd = new SplittableRandom(Mix.hash(seed, id, 1));
    int[] c = new int[nnz];
    int n = 0;
    while (n < nnz) {
      int j = rnd.nextInt(features);
      boolean seen = false;
      for (int k = 0; k < n; k++) {
        seen |= c[k] == j;
      }
      if (!seen) {
        c[n++] = j;
      }
    }
    Arrays.sort(c);
    return c;
  }

  /** The 0/1 label of row {@code id} with the given columns. */
  public double label(long id, int[] columns) {
    double z = 0;
    for (int j : columns) {
      z += weight(j);
    }
    double p = 1 / (1 + Math.exp(-z));
    return Mix.unit(Mix.hash(seed, id, 2)) < p ? 1 : 0;
  }

  /** The true weight of feature {@code j}. */
  public double weight(int j) {
    return new SplittableRandom(Mix.hash(seed, j, 3)).nextGaussian() * 3 / Math.sqrt(nnz);
  }

  /** Row {@code id} as a LibSVM line ({@code label i:1 ...}, 1-based indices). */
  public String libsvm(long id) {
    int[] c = columns(id);
    StringBuilder sb = new StringBuilder(c.length * 10).append((int) label(id, c));
    for (int j : c) {
      sb.append(' ').append(j + 1).append(":1");
    }
    return sb.toString();
  }
}
