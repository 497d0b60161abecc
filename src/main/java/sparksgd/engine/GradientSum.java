package sparksgd.engine;

import java.util.List;

/**
 * The driver's sum of one step's partition results ({@link StepParts}, dense or sparse), strictly in
 * partition order as {@link Combine} adds them, so the sums are bit-identical whichever form travelled.
 * When every part is sparse the sum stays sparse: the union of the touched indices (in the order first
 * met, partition by partition) and their sums, made in a dense accumulator that is kept between steps and
 * cleared only where it was written, so a step costs its touched entries, not the model's size.
 */
public final class GradientSum {
  private final int numParams;
  private double[] acc; // all +0.0 between steps
  private int[] seen; // seen[i] == stamp: index i is already in this step's union
  private int stamp;
  private int[] union = new int[0];

  public GradientSum(int numParams) {
    this.numParams = numParams;
  }

  /** The step's sum of {@code inPartitionOrder} (each a {@link StepParts} array). */
  public StepResult add(List<double[]> inPartitionOrder) {
    boolean anySparse = false;
    boolean allSparse = true;
    for (double[] part : inPartitionOrder) {
      boolean dense = StepParts.isDense(part, numParams);
      anySparse |= !dense;
      allSparse &= !dense;
    }
    if (!anySparse) {
      return Combine.steps(inPartitionOrder, numParams);
    }
    if (!allSparse) {
      return denseSum(inPartitionOrder);
    }
    return ascending(inPartitionOrder) ? mergedSum(inPartitionOrder) : sparseSum(inPartitionOrder);
  }

  /** True when every sparse part lists its indices in strictly ascending order (as workers build them). */
  private static boolean ascending(List<double[]> parts) {
    for (double[] part : parts) {
      int k = StepParts.count(part);
      for (int j = 1; j < k; j++) {
        if (!(part[1 + j] > part[j])) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Sparse parts with ascending indices, merged partition after partition: two sorted lists walked front to
   * back, with no random access into arrays of the model's size. Each sum starts at +0.0 and takes the parts
   * in partition order, the additions {@link #sparseSum} makes, so the bits are the same.
   */
  private StepResult mergedSum(List<double[]> parts) {
    int[] idx = new int[0];
    double[] sum = new double[0];
    int n = 0;
    double loss = 0;
    double rows = 0;
    for (double[] part : parts) {
      int k = StepParts.count(part);
      int[] mergedIdx = new int[n + k];
      double[] merged = new double[n + k];
      int a = 0;
      int b = 0;
      int m = 0;
      while (a < n || b < k) {
        int ia = a < n ? idx[a] : Integer.MAX_VALUE;
        int ib = b < k ? (int) part[1 + b] : Integer.MAX_VALUE;
        if (ia < ib) {
          mergedIdx[m] = ia;
          merged[m++] = sum[a++];
        } else if (ib < ia) {
          mergedIdx[m] = ib;
          merged[m++] = 0.0 + part[1 + k + b++];
        } else {
          mergedIdx[m] = ia;
          merged[m++] = sum[a++] + part[1 + k + b++];
        }
      }
      idx = m == mergedIdx.length ? mergedIdx : java.util.Arrays.copyOf(mergedIdx, m);
      sum = m == merged.length ? merged : java.util.Arrays.copyOf(merged, m);
      n = m;
      loss += StepParts.lossSum(part);
      rows += StepParts.rows(part);
    }
    return StepResult.sparse(numParams, idx, sum, loss, rows);
  }

  /** Some parts dense, some sparse: a dense total, the sparse parts added at their indices. */
  private StepResult denseSum(List<double[]> parts) {
    double[] total = new double[numParams];
    double loss = 0;
    double rows = 0;
    for (double[] part : parts) {
      if (StepParts.isDense(part, numParams)) {
        for (int i = 0; i < numParams; i++) {
          total[i] += part[i];
        }
      } else {
        int k = StepParts.count(part);
        for (int j = 0; j < k; j++) {
          total[(int) part[1 + j]] += part[1 + k + j];
        }
      }
      loss += StepParts.lossSum(part);
      rows += StepParts.rows(part);
    }
    return new StepResult(total, loss, rows);
  }

  private StepResult sparseSum(List<double[]> parts) {
    if (acc == null) {
      acc = new double[numParams];
      seen = new int[numParams];
    }
    if (++stamp == 0) { // wrapped: forget every old stamp
      java.util.Arrays.fill(seen, 0);
      stamp = 1;
    }
    int n = 0;
    double loss = 0;
    double rows = 0;
    for (double[] part : parts) {
      int k = StepParts.count(part);
      if (union.length < n + k) {
        union = java.util.Arrays.copyOf(union, Math.min(numParams, Math.max(n + k, 2 * union.length)));
      }
      for (int j = 0; j < k; j++) {
        int i = (int) part[1 + j];
        if (seen[i] != stamp) {
          seen[i] = stamp;
          union[n++] = i;
        }
        acc[i] += part[1 + k + j];
      }
      loss += StepParts.lossSum(part);
      rows += StepParts.rows(part);
    }
    int[] touched = java.util.Arrays.copyOf(union, n);
    double[] sums = new double[n];
    for (int u = 0; u < n; u++) {
      sums[u] = acc[touched[u]];
      acc[touched[u]] = 0.0;
    }
    return StepResult.sparse(numParams, touched, sums, loss, rows);
  }
}
