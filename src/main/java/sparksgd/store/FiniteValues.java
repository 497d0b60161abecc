package sparksgd.store;

/**
 * Loaded weights, optimizer state and statistics must be finite: a NaN or infinity in a model or
 * checkpoint would silently turn every prediction or step into NaN, so it is refused at load time.
 */
public final class FiniteValues {
  private FiniteValues() {}

  /** Throws naming {@code what} and the first non-finite entry. */
  public static void require(double[] values, String what) {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new StoreException(what + ": entry " + i + " is " + values[i]
            + "; a model or checkpoint holds finite numbers only");
      }
    }
  }
}
