package sparksgd.data;

/**
 * A seeded pseudo-random permutation of {@code [0, n)} for one epoch, evaluated per element: a
 * 4-round Feistel network on the smallest even-bit power-of-two domain, with cycle walking. Any
 * partition can compute the global position of its own rows in O(1) each, without the whole
 * permutation, so every partitioning sees exactly the same global batches.
 */
public final class EpochPermutation {
  private final long n;
  private final int halfBits;
  private final long halfMask;
  private final long[] keys = new long[4];

  public EpochPermutation(long n, long seed, long epoch) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1");
    }
    this.n = n;
    int bits = 64 - Long.numberOfLeadingZeros(Math.max(1, n - 1));
    bits = Math.max(2, bits + (bits & 1));
    this.halfBits = bits / 2;
    this.halfMask = (1L << halfBits) - 1;
    for (int r = 0; r < 4; r++) {
      keys[r] = Mix.hash(seed, 0xE90C4L, epoch, r);
    }
  }

  /** Position of element {@code i} in this epoch's order. */
  public long position(long i) {
    long x = i;
    do {
      x = encrypt(x);
    } while (x >= n);
    return x;
  }

  private long encrypt(long x) {
    long left = x >>> halfBits;
    long right = x & halfMask;
    for (int r = 0; r < 4; r++) {
      long f = Mix.mix64(right ^ keys[r]) & halfMask;
      long t = left ^ f;
      left = right;
      right = t;
    }
    return (left << halfBits) | right;
  }
}
