package sparksgd.engine;

import java.util.Arrays;

/**
 * The distinct features of one sparse step, in ascending order, and the renumbering of its rows' column
 * indices to their ranks 0..n-1 among them. A bit per feature (128 KB for 2^20 features, held in the core's
 * cache) replaces the random reads and writes into feature-sized arrays that a mark-as-you-meet list costs,
 * and ascending order lets everything after it (the step's rows of W1, the driver's merge of the partitions'
 * parts, the update, the change list) walk parameter-sized arrays front to back.
 */
final class StepFeatures {
  private final int inputs;
  private final long[] bits;
  private final int[] before; // before[w]: features set in words 0..w-1
  private int[] sorted = new int[1024];
  private int count;

  StepFeatures(int inputs) {
    this.inputs = inputs;
    bits = new long[(inputs + 63) >>> 6];
    before = new int[bits.length];
  }

  /**
   * Lists the distinct values of {@code col[from, to)} (all in 0..inputs-1) in ascending order and replaces
   * each by its rank among them; returns how many there are.
   */
  int renumber(int[] col, int from, int to) {
    for (int i = from; i < to; i++) {
      int c = col[i];
      if (c < 0 || c >= inputs) {
        Arrays.fill(bits, 0L); // leave no marks behind for the next step
        throw new IllegalArgumentException("feature index " + c + " outside 0.." + (inputs - 1));
      }
      bits[c >>> 6] |= 1L << c;
    }
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
    for (int i = from; i < to; i++) {
      int c = col[i];
      col[i] = before[c >>> 6] + Long.bitCount(bits[c >>> 6] & ((1L << c) - 1));
    }
    for (int j = 0; j < n; j++) {
      bits[sorted[j] >>> 6] = 0L;
    }
    count = n;
    return n;
  }

  /** The features of the last {@link #renumber}, ascending: feature {@code sorted()[r]} has rank r. */
  int[] sorted() {
    return sorted;
  }

  int count() {
    return count;
  }
}
