package sparksgd.engine;

import java.util.List;

/** Adds partition results strictly in partition order, so every engine gets the same bits. */
public final class Combine {
  private Combine() {}

  public static double[] sums(List<double[]> inPartitionOrder, int width) {
    double[] total = new double[width];
    for (double[] part : inPartitionOrder) {
      for (int i = 0; i < width; i++) {
        total[i] += part[i];
      }
    }
    return total;
  }

  /**
   * {@link #steps} into {@code total} (numParams + 2, overwritten) and {@code grad} (numParams), which the
   * result then holds: the same sums in the same order, with no garbage per step.
   */
  public static StepResult stepsInto(List<double[]> inPartitionOrder, int numParams, double[] total, double[] grad) {
    java.util.Arrays.fill(total, 0.0);
    for (double[] part : inPartitionOrder) {
      for (int i = 0; i < total.length; i++) {
        total[i] += part[i];
      }
    }
    System.arraycopy(total, 0, grad, 0, numParams);
    return new StepResult(grad, total[numParams], total[numParams + 1]);
  }

  /** Dense step parts {@code [gradient..., lossSum, rows]}: the same additions as {@link #sums}, no copy after. */
  public static StepResult steps(List<double[]> inPartitionOrder, int numParams) {
    double[] grad = new double[numParams];
    double loss = 0;
    double rows = 0;
    for (double[] part : inPartitionOrder) {
      for (int i = 0; i < numParams; i++) {
        grad[i] += part[i];
      }
      loss += part[numParams];
      rows += part[numParams + 1];
    }
    return new StepResult(grad, loss, rows);
  }
}
