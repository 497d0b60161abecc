package sparksgd.engine;

/**
 * One partition's step result as every engine ships it: a flat {@code double[]}, either dense,
 * {@code [gradient (numParams values)..., lossSum, rows]}, or, when the gradient can be nonzero in few
 * places (a sparse batch touches only its features' rows of the first weight matrix), sparse,
 * {@code [k, index_0 .. index_k-1, value_0 .. value_k-1, lossSum, rows]}. Sparse is chosen only when it is
 * shorter than dense, so the length alone tells the two apart. Indices are whole numbers below 2^31, exact
 * in a double and exact floats below 2^24, so the gang codec and {@link CompactDoubles} send them in 4
 * bytes; values keep every bit. Adding a sparse part's values at its indices is bit-for-bit adding its dense
 * form: the entries it leaves out are +0.0, and a running sum that starts at +0.0 is never -0.0, so adding
 * +0.0 to it changes nothing.
 */
public final class StepParts {
  private StepParts() {}

  /** True when a part of {@code touched} entries travels sparse, i.e. is shorter than the dense form. */
  public static boolean sparseIsSmaller(long touched, int numParams) {
    return 2 * touched + 3 < numParams + 2L;
  }

  /** True for the dense form. */
  public static boolean isDense(double[] part, int numParams) {
    return part.length == numParams + 2;
  }

  /** The sparse form of {@code grad} at {@code touched[0, k)} (each index once). */
  public static double[] sparse(int[] touched, int k, double[] grad, double lossSum, double rows) {
    double[] out = new double[2 * k + 3];
    out[0] = k;
    for (int j = 0; j < k; j++) {
      int i = touched[j];
      out[1 + j] = i;
      out[1 + k + j] = grad[i];
    }
    out[2 * k + 1] = lossSum;
    out[2 * k + 2] = rows;
    return out;
  }

  /** As above from a float32 gradient (widened exactly); a twin, as Java has no generics over primitive arrays. */
  public static double[] sparse(int[] touched, int k, float[] grad, double lossSum, double rows) {
    double[] out = new double[2 * k + 3];
    out[0] = k;
    for (int j = 0; j < k; j++) {
      int i = touched[j];
      out[1 + j] = i;
      out[1 + k + j] = grad[i];
    }
    out[2 * k + 1] = lossSum;
    out[2 * k + 2] = rows;
    return out;
  }

  /**
   * The parameters a sparse step touches, in {@code into} (a larger array when it is too short), which is
   * returned: the {@code width} entries of W1's row of each of {@code features[0, n)}, then every parameter
   * from {@code firstLayer} (W1's size) to {@code numParams}. Ascending when the features are.
   */
  public static int[] touchedParams(int[] features, int n, int width, int firstLayer, int numParams, int[] into) {
    int t = n * width + (numParams - firstLayer);
    int[] out = into != null && into.length >= t ? into : new int[into == null ? t : Math.max(t, 2 * into.length)];
    int j = 0;
    for (int k = 0; k < n; k++) {
      int row = features[k] * width;
      for (int o = 0; o < width; o++) {
        out[j++] = row + o;
      }
    }
    for (int i = firstLayer; i < numParams; i++) {
      out[j++] = i;
    }
    return out;
  }

  /** Entries a sparse part holds. */
  public static int count(double[] sparsePart) {
    int k = (int) sparsePart[0];
    if (k < 0 || sparsePart.length != 2L * k + 3) {
      throw new IllegalArgumentException("not a sparse step part: " + sparsePart.length + " values, count " + k);
    }
    return k;
  }

  public static double lossSum(double[] part) {
    return part[part.length - 2];
  }

  public static double rows(double[] part) {
    return part[part.length - 1];
  }

  /** The dense form of any part (tests, and callers that need the whole vector). */
  public static double[] dense(double[] part, int numParams) {
    if (isDense(part, numParams)) {
      return part;
    }
    int k = count(part);
    double[] out = new double[numParams + 2];
    for (int j = 0; j < k; j++) {
      out[(int) part[1 + j]] += part[1 + k + j];
    }
    out[numParams] = lossSum(part);
    out[numParams + 1] = rows(part);
    return out;
  }
}
