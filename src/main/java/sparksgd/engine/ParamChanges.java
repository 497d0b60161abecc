package sparksgd.engine;

/**
 * What changed in the parameters since the tasks were last sent them, as it travels:
 * {@code [k, index_0 .. index_k-1, value_0 .. value_k-1]}, the new values copied bit for bit. After a plain
 * SGD step on sparse rows only the step's touched entries moved, so a task that holds the previous
 * parameters needs only these (indices below 2^24 travel as 4-byte floats in the gang codec).
 */
public final class ParamChanges {
  private ParamChanges() {}

  /** True when sending {@code k} changes is smaller than sending all {@code numParams} values. */
  public static boolean smaller(long k, int numParams) {
    return 2 * k + 1 < numParams;
  }

  /** The changes at {@code indices} (each once), with their current values in {@code params}. */
  public static double[] of(int[] indices, double[] params) {
    int k = indices.length;
    double[] out = new double[2 * k + 1];
    out[0] = k;
    for (int j = 0; j < k; j++) {
      out[1 + j] = indices[j];
      out[1 + k + j] = params[indices[j]];
    }
    return out;
  }

  /** Writes the changes into {@code params}, which must hold what the sender's held before them. */
  public static void apply(double[] changes, double[] params) {
    int k = count(changes);
    for (int j = 0; j < k; j++) {
      int i = (int) changes[1 + j];
      if (i < 0 || i >= params.length) {
        throw new IllegalArgumentException("parameter change at " + i + " outside 0.." + (params.length - 1));
      }
      params[i] = changes[1 + k + j];
    }
  }

  /** Number of changes in an encoded array (checked against its length). */
  public static int count(double[] changes) {
    int k = changes.length == 0 ? -1 : (int) changes[0];
    if (k < 0 || changes.length != 2L * k + 1) {
      throw new IllegalArgumentException("not a parameter change list: " + changes.length + " values");
    }
    return k;
  }
}
