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
