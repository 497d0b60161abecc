package sparksgd.data;

/**
 * Stateless 64-bit mixing (SplitMix64's finalizer). Every seeded decision about a row (its split,
 * its place in an epoch) is a pure function of (seed, row ordinal), so it cannot depend on how the
 * data is partitioned or in which order tasks run.
 */
public final class Mix {
  private Mix() {}

  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** Hash of several longs, order-sensitive. */
  public static long hash(long... values) {
    long h = 0x9E3779B97F4A7C15L;
    for (long v : values) {
      h = mix64(h ^ mix64(v + 0x9E3779B97F4A7C15L));
    }
    return h;
  }

  /** A uniform double in [0, 1) from a hash. */
  public static double unit(long h) {
    return (h >>> 11) * 0x1.0p-53;
  }
}
