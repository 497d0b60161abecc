package sparksgd.engine;

/**
 * The sum over all partitions of one step: gradient sum, loss sum and the number of rows, or the rows'
 * weight sum when they carry sample weights ({@code data.weight}): what the gradient is divided by.
 *
 * <p>A sparse result ({@link #sparse()}) holds the gradient sum only at the {@link #touched()} indices
 * (every other entry is +0.0); {@link #gradientSum()} still gives the whole vector, made on first use, so
 * only callers that can use the touched entries alone skip the dense vector.
 */
public final class StepResult {
  private double[] gradientSum;
  private final double lossSum;
  private final double rows;
  private final int numParams;
  private final int[] touched;
  private final double[] touchedSums;

  public StepResult(double[] gradientSum, double lossSum, double rows) {
    this(gradientSum, lossSum, rows, gradientSum == null ? 0 : gradientSum.length, null, null);
  }

  private StepResult(double[] gradientSum, double lossSum, double rows, int numParams, int[] touched,
      double[] touchedSums) {
    this.gradientSum = gradientSum;
    this.lossSum = lossSum;
    this.rows = rows;
    this.numParams = numParams;
    this.touched = touched;
    this.touchedSums = touchedSums;
  }

  /** A gradient sum of {@code numParams} entries, {@code sums[j]} at {@code touched[j]} and +0.0 elsewhere. */
  public static StepResult sparse(int numParams, int[] touched, double[] sums, double lossSum, double rows) {
    if (touched.length != sums.length) {
      throw new IllegalArgumentException(touched.length + " indices, " + sums.length + " sums");
    }
    return new StepResult(null, lossSum, rows, numParams, touched, sums);
  }

  /** The whole gradient sum (null when the tasks applied the update themselves). */
  public double[] gradientSum() {
    if (gradientSum == null && touched != null) {
      double[] g = new double[numParams];
      for (int j = 0; j < touched.length; j++) {
        g[touched[j]] = touchedSums[j];
      }
      gradientSum = g;
    }
    return gradientSum;
  }

  public double lossSum() {
    return lossSum;
  }

  public double rows() {
    return rows;
  }

  /** True when the sum is held only at {@link #touched()}. */
  public boolean sparse() {
    return touched != null;
  }

  /** The indices where a sparse sum may be nonzero, each once (null when dense). */
  public int[] touched() {
    return touched;
  }

  /** The sums at {@link #touched()}, in the same order (the caller may scale them in place). */
  public double[] touchedSums() {
    return touchedSums;
  }
}
