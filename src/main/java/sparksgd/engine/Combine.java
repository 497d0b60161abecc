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
   * Dense step parts {@code [gradient..., lossSum, rows]} summed into {@code grad} (numParams, overwritten),
   * which the result then holds: an engine that steps thousands of times in one JVM passes its own buffer.
   */
  public static StepResult stepsInto(List<double[]> inPartitionOrder, int numParams, double[] grad) {
    java.util.Arrays.fill(grad, 0, numParams, 0.0);
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

  /** {@link #stepsInto} a new array. */
  public static StepResult steps(List<double[]> inPartitionOrder, int numParams) {
    return stepsInto(inPartitionOrder, numParams, new double[numParams]);
  }
}
