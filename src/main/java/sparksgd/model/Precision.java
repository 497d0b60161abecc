package sparksgd.model;

/**
 * The floating-point width of a model's cached data, parameters, gradients, exchanged sums and
 * kernels ({@code training.precision}). The driver keeps parameters in a {@code double[]} either way;
 * in float32 every value in it is rounded to the nearest float after each update, so the driver's copy,
 * the tasks' {@code float[]} copies, the wire and the saved {@code <f4} files all hold the same bits.
 */
public enum Precision {
  FLOAT64("float64", 8, "<f8"),
  FLOAT32("float32", 4, "<f4");

  private final String configName;
  private final int bytes;
  private final String npyDescr;

  Precision(String configName, int bytes, String npyDescr) {
    this.configName = configName;
    this.bytes = bytes;
    this.npyDescr = npyDescr;
  }

  public String configName() {
    return configName;
  }

  /** Bytes per value. */
  public int bytes() {
    return bytes;
  }

  /** NumPy dtype string of this width, little-endian. */
  public String npyDescr() {
    return npyDescr;
  }

  @Override
  public String toString() {
    return configName;
  }

  /** By config name: {@code float64} or {@code float32}. */
  public static Precision parse(String name) {
    return ConfigNames.parse(Precision.class, "precision", name);
  }


  /** Rounds every value to this precision in place (float32: to the nearest float; float64: nothing). */
  public void round(double[] a) {
    if (this == FLOAT32) {
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) a[i];
      }
    }
  }

  /** True when every value of {@code a} is exactly representable at this precision. */
  public boolean holds(double[] a) {
    if (this == FLOAT64) {
      return true;
    }
    for (double v : a) {
      if (!isFloat(v)) {
        return false;
      }
    }
    return true;
  }

  /** True when {@code v} survives a round trip through float bit for bit (NaN payloads aside). */
  public static boolean isFloat(double v) {
    return Double.doubleToRawLongBits((float) v) == Double.doubleToRawLongBits(v);
  }

  /** How many leading values of {@code a} are exactly floats (bit for bit); the wire sends those in 4 bytes. */
  public static int floatPrefix(double[] a) {
    int f = 0;
    while (f < a.length && isFloat(a[f])) {
      f++;
    }
    return f;
  }

  /** {@code dst[i] = (float) src[i]} for the first {@code n} values. */
  public static void narrow(double[] src, float[] dst, int n) {
    for (int i = 0; i < n; i++) {
      dst[i] = (float) src[i];
    }
  }

  /** {@code dst[i] = src[i]} (exact) for the first {@code n} values. */
  public static void widen(float[] src, double[] dst, int n) {
    for (int i = 0; i < n; i++) {
      dst[i] = src[i];
    }
  }
}
