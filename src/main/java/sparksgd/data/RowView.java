package sparksgd.data;

import java.io.Serializable;

/**
 * Which of the cached training rows a training run uses, and under which dense ids: all of them
 * (a plain run), or all but one fold (cross-validation), the held-out fold being its validation
 * set. Dense ids {@code [0, trainRows())} feed the epoch permutation, so batches stay independent of
 * partitioning for every view.
 */
public interface RowView extends Serializable {
  long trainRows();

  /** Dense id among this view's training rows, or -1 when row {@code id} of TRAIN is not one. */
  long trainId(long id);

  /** True when row {@code id} of the TRAIN split is held out as this view's validation row. */
  boolean holdsOut(long id);

  /** Identifies the view (for caching epoch plans per view). */
  String key();

  static RowView all(long trainRows) {
    return new All(trainRows);
  }

  /** Every training row, ids unchanged. */
  record All(long trainRows) implements RowView {
    @Override
    public long trainId(long id) {
      return id;
    }

    @Override
    public boolean holdsOut(long id) {
      return false;
    }

    @Override
    public String key() {
      return "all/" + trainRows;
    }
  }
}
