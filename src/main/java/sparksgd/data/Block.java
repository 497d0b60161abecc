package sparksgd.data;

import java.io.Serializable;
import sparksgd.model.Batch;

/**
 * Normalized rows of one split held as dense row-major arrays: the unit of cached training data
 * (one object per few thousand rows, not one per row). Rows carry consecutive dense ids of their
 * split starting at {@code firstId}, so no per-row id array is stored.
 */
public final class Block implements Serializable {
  private static final long serialVersionUID = 1L;
  public final double[] x;
  public final double[] y;
  public final int rows;
  public final int cols;
  public final long firstId;

  public Block(double[] x, double[] y, int rows, int cols, long firstId) {
    if (x.length != rows * cols || y.length != rows) {
      throw new IllegalArgumentException("block arrays do not match " + rows + " x " + cols);
    }
    this.x = x;
    this.y = y;
    this.rows = rows;
    this.cols = cols;
    this.firstId = firstId;
  }

  public Batch asBatch() {
    return Batch.of(x, y, rows, cols);
  }

  public long bytes() {
    return 8L * (x.length + y.length);
  }
}
