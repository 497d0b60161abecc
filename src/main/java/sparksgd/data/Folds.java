package sparksgd.data;

/**
 * K-fold assignment of the {@code n} training rows. Rows are put in a seeded order (or kept in input
 * order, as the course does, when not shuffled) and cut into K contiguous, near-equal ranges of that
 * order: fold {@code k} holds positions {@code [k*n/K, (k+1)*n/K)}. Every row is in exactly one fold,
 * whatever the partitioning.
 */
public record Folds(long n, int k, long seed, boolean shuffle) implements java.io.Serializable {
  private static final long FOLD_STREAM = 0xF01D5L;

  public Folds {
    if (k < 2 || k > n) {
      throw new IllegalArgumentException("folds must be between 2 and the number of training rows (" + n + ")");
    }
  }

  /** Position of row {@code id} in the fold order. */
  public long position(long id) {
    return shuffle ? new EpochPermutation(n, seed ^ FOLD_STREAM, -1).position(id) : id;
  }

  public long start(int fold) {
    return fold * n / k;
  }

  public int foldOf(long id) {
    long p = position(id);
    int f = (int) (p * k / n);
    // Integer division can put a boundary position one fold off; fix it against the exact ranges.
    while (f > 0 && p < start(f)) {
      f--;
    }
    while (f < k - 1 && p >= start(f + 1)) {
      f++;
    }
    return f;
  }

  /** The view that trains on every fold but {@code fold} and validates on {@code fold}. */
  public RowView view(int fold) {
    return new FoldView(this, fold);
  }

  record FoldView(Folds folds, int fold) implements RowView {
    @Override
    public long trainRows() {
      return folds.n - (folds.start(fold + 1) - folds.start(fold));
    }

    @Override
    public long trainId(long id) {
      long p = folds.position(id);
      long a = folds.start(fold);
      long b = folds.start(fold + 1);
      return p < a ? p : p >= b ? p - (b - a) : -1;
    }

    @Override
    public boolean holdsOut(long id) {
      long p = folds.position(id);
      return p >= folds.start(fold) && p < folds.start(fold + 1);
    }

    @Override
    public String key() {
      return "fold/" + folds.n + "/" + folds.k + "/" + folds.seed + "/" + folds.shuffle + "/" + fold;
    }
  }
}
