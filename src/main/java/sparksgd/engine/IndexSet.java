package sparksgd.engine;

import java.util.Arrays;

/**
 * A set of indices below a bound, listed in ascending order, with each member's rank among them: a sparse
 * step's features (its rows renumbered to their ranks), or the union of the partitions' touched parameters.
 * One bit per possible index (128 KB for 2^20, held in the core's cache) replaces random reads and writes
 * into index-sized arrays, and the ascending order lets what follows (the step's rows of W1, the sums, the
 * update, the change list) walk parameter-sized arrays front to back. Reused: {@link #close} lists the
 * members, {@link #clear} empties the set for the next step.
 */
final class IndexSet {
  private final int bound;
  private final long[] bits;
  private final int[] before; // before[w]: members in words 0..w-1, valid after close()
  private int[] sorted = new int[1024];
  private int count;
  private boolean unlisted; // members were added since the last close()

  IndexSet(int bound) {
    this.bound = bound;
    bits = new long[(bound + 63) >>> 6];
    before = new int[bits.length];
  }

  /** Adds {@code i} (0 <= i < bound). */
  void add(int i) {
    if (i < 0 || i >= bound) {
      clear(); // leave no marks behind for the next use
      throw new IllegalArgumentException("index " + i + " outside 0.." + (bound - 1));
    }
    bits[i >>> 6] |= 1L << i;
    unlisted = true;
  }

  /** Lists the members in ascending order ({@link #sorted}) and readies {@link #rank}; returns how many. */
  int close() {
    int n = 0;
    for (int w = 0; w < bits.length; w++) {
      before[w] = n;
      long word = bits[w];
      if (word == 0) {
        continue;
      }
      int k = Long.bitCount(word);
      if (n + k > sorted.length) {
        sorted = Arrays.copyOf(sorted, Math.max(n + k, 2 * sorted.length));
      }
      while (word != 0) {
        sorted[n++] = (w << 6) + Long.numberOfTrailingZeros(word);
        word &= word - 1;
      }
    }
    count = n;
    unlisted = false;
    return n;
  }

  /** The rank of member {@code i} among the members (after {@link #close}). */
  int rank(int i) {
    return before[i >>> 6] + Long.bitCount(bits[i >>> 6] & ((1L << i) - 1));
  }

  /** The members after {@link #close}, ascending, in the first {@link #count} places. */
  int[] sorted() {
    return sorted;
  }

  int count() {
    return count;
  }

  /** Empties the set (touching only the members' words when they were all listed by {@link #close}). */
  void clear() {
    if (unlisted) {
      Arrays.fill(bits, 0L);
    } else {
      for (int j = 0; j < count; j++) {
        bits[sorted[j] >>> 6] = 0L;
      }
    }
    unlisted = false;
  }

  /**
   * A step's features: the distinct values of {@code col[from, to)}, ascending, each value replaced by its
   * rank among them; returns how many. The set is empty again afterwards, its listing kept.
   */
  int renumber(int[] col, int from, int to) {
    for (int i = from; i < to; i++) {
      add(col[i]);
    }
    int n = close();
    for (int i = from; i < to; i++) {
      col[i] = rank(col[i]);
    }
    clear();
    return n;
  }
}
