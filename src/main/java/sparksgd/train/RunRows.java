package sparksgd.train;

import sparksgd.data.FeatureStats;
import sparksgd.data.RowView;
import sparksgd.data.Split;
import sparksgd.data.TrainingData;

/**
 * The rows one training run reads: the cached data, the view of its training rows it trains on, the
 * statistics raw rows are normalized with on the fly ({@code rawStats}, null when the rows are cached
 * normalized) and which splits are scored at the end.
 */
public record RunRows(TrainingData data, RowView view, FeatureStats rawStats, Scored scored) {
  /** What a run scores besides its training rows. */
  public enum Scored {
    /** The held-out rows only: a fold's own rows, or the validation split (a sweep trial); never the test split. */
    HELD_OUT,
    /** The validation and test splits, each when it has rows. */
    SPLITS
  }

  /** Every training row of data cached already normalized with its training statistics. */
  public static RunRows normalized(TrainingData data) {
    return all(data, null);
  }

  /**
   * Every training row; with {@code rawStats} non-null the data was cached raw and is normalized with them (a
   * sweep's final model, or a warm start with data.stats-from = model keeping the starting model's scale).
   */
  public static RunRows all(TrainingData data, FeatureStats rawStats) {
    return new RunRows(data, RowView.all(data.rows(Split.TRAIN)), rawStats, Scored.SPLITS);
  }

  /** The training rows of {@code view} of data cached raw, normalized with {@code stats}, scored on the held-out rows. */
  public static RunRows heldOut(TrainingData data, RowView view, FeatureStats stats) {
    return new RunRows(data, view, stats, Scored.HELD_OUT);
  }

  /** The splits scored besides the training rows: VALIDATION (held-out rows, or the split) and TEST. */
  java.util.Set<Split> scoredSplits() {
    java.util.Set<Split> s = java.util.EnumSet.noneOf(Split.class);
    if (scored == Scored.HELD_OUT || data.rows(Split.VALIDATION) > 0) {
      s.add(Split.VALIDATION);
    }
    if (scored == Scored.SPLITS && data.rows(Split.TEST) > 0) {
      s.add(Split.TEST);
    }
    return s;
  }
}
