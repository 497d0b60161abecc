package sparksgd.engine;

import java.util.List;

/**
 * The driver's sum of one step's partition results ({@link StepParts}, dense or sparse), strictly in
 * partition order as {@link Combine} adds them, so the sums are bit-identical whichever form travelled.
 * When every part is sparse the sum stays sparse: the union of the touched indices, ascending, and their
 * sums, so a step costs its touched entries, not the model's size.
 */
public final class GradientSum {
  private final int numParams;
  private IndexSet union; // the step's touched parameters

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
    return allSparse ? sparseSum(inPartitionOrder) : denseSum(inPartitionOrder);
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

  /**
   * Every part sparse: the union of their indices, ascending, from a bit set, and each index's sum made
   * in a dense array of the union's size: it starts at +0.0 and takes the parts in partition order, the
   * additions {@link Combine} makes (a part that lacks an index adds nothing, as adding +0.0 changes no bit).
   */
  private StepResult sparseSum(List<double[]> parts) {
    if (union == null) {
      union = new IndexSet(numParams);
    }
    double loss = 0;
    double rows = 0;
    for (double[] part : parts) {
      int k = StepParts.count(part);
      for (int j = 0; j < k; j++) {
        union.add((int) part[1 + j]);
      }
    }
    int n = union.close();
    int[] touched = java.util.Arrays.copyOf(union.sorted(), n);
    double[] sums = new double[n];
    for (double[] part : parts) {
      int k = StepParts.count(part);
      for (int j = 0; j < k; j++) {
        sums[union.rank((int) part[1 + j])] += part[1 + k + j];
      }
      loss += StepParts.lossSum(part);
      rows += StepParts.rows(part);
    }
    union.clear();
    return StepResult.sparse(numParams, touched, sums, loss, rows);
  }
}
