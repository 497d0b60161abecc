package sparksgd.data;

import java.io.Serializable;
import sparksgd.model.Batch;
import sparksgd.model.Precision;

/**
 * Rows of one split: the unit of cached training data (one object per few thousand rows, never one per
 * row). The features are stored in one of three ways, matching {@link Batch}:
 * <ul>
 *   <li>dense float64 ({@code x}, row-major {@code rows x cols});</li>
 *   <li>dense float32 ({@code xf}, the same layout at half the bytes: {@code training.precision = float32});</li>
 *   <li>CSR: {@code rowStart} ({@code rows + 1} offsets), {@code col} (ascending column indices per row) and
 *       the values in {@code x} or {@code xf} (float32).</li>
 * </ul>
 * Labels are doubles in every case. Rows carry consecutive dense ids of their split starting at
 * {@code firstId}, so no per-row id array is stored.
 */
public final class Block implements Serializable {
  private static final long serialVersionUID = 3L;
  /** Dense float64 features, or CSR float64 values; null otherwise. */
  public final double[] x;
  /** Dense float32 features, or CSR float32 values; null otherwise. */
  public final float[] xf;
  /** CSR row offsets ({@code rows + 1}); null for dense blocks. */
  public final int[] rowStart;
  /** CSR column indices; null for dense blocks. */
  public final int[] col;
  public final double[] y;
  public final int rows;
  public final int cols;
  public final long firstId;
  /** Sample weights per row ({@code data.weight}), or null: every row weighs 1 (no array, no cost). */
  public final double[] w;

  /** A dense float64 block. */
  public Block(double[] x, double[] y, int rows, int cols, long firstId) {
    this(x, null, null, null, y, rows, cols, firstId);
  }

  private Block(double[] x, float[] xf, int[] rowStart, int[] col, double[] y, int rows, int cols, long firstId) {
    this(x, xf, rowStart, col, y, rows, cols, firstId, null);
  }

  private Block(double[] x, float[] xf, int[] rowStart, int[] col, double[] y, int rows, int cols, long firstId,
      double[] w) {
    if ((x == null) == (xf == null) || y.length != rows || (rowStart == null) != (col == null)
        || (w != null && w.length != rows)) {
      throw new IllegalArgumentException("block arrays do not match " + rows + " x " + cols);
    }
    int values = x != null ? x.length : xf.length;
    if (rowStart == null ? values != (long) rows * cols
        : rowStart.length != rows + 1 || col.length != values || rowStart[rows] != values) {
      throw new IllegalArgumentException("block arrays do not match " + rows + " x " + cols);
    }
    this.x = x;
    this.xf = xf;
    this.rowStart = rowStart;
    this.col = col;
    this.y = y;
    this.rows = rows;
    this.cols = cols;
    this.firstId = firstId;
    this.w = w;
  }

  /** The same rows with sample weights {@code w} (one per row; null = unweighted). */
  public Block withWeights(double[] w) {
    return new Block(x, xf, rowStart, col, y, rows, cols, firstId, w);
  }

  /** A dense float32 block. */
  public static Block dense32(float[] xf, double[] y, int rows, int cols, long firstId) {
    return new Block(null, xf, null, null, y, rows, cols, firstId);
  }

  /** A CSR block with float64 {@code values} or float32 {@code valuesF} (the other null). */
  public static Block csr(int[] rowStart, int[] col, double[] values, float[] valuesF, double[] y, int rows,
      int cols, long firstId) {
    return new Block(values, valuesF, rowStart, col, y, rows, cols, firstId);
  }

  public boolean sparse() {
    return rowStart != null;
  }

  public Precision precision() {
    return xf != null ? Precision.FLOAT32 : Precision.FLOAT64;
  }

  /** Stored feature values (rows x cols when dense, the nonzeros when sparse). */
  public int values() {
    return x != null ? x.length : xf.length;
  }

  public Batch asBatch() {
    return new Batch(x, xf, rowStart, col, y, 0, rows, cols, 1, w);
  }

  /** Writes row {@code r}'s features densely (as doubles) into {@code dst[off, off + cols)}. */
  public void rowInto(int r, double[] dst, int off) {
    if (rowStart == null) {
      if (x != null) {
        System.arraycopy(x, r * cols, dst, off, cols);
      } else {
        for (int j = 0; j < cols; j++) {
          dst[off + j] = xf[r * cols + j];
        }
      }
      return;
    }
    java.util.Arrays.fill(dst, off, off + cols, 0.0);
    for (int i = rowStart[r]; i < rowStart[r + 1]; i++) {
      dst[off + col[i]] = x != null ? x[i] : xf[i];
    }
  }

  /** Bytes of the arrays (what caching them costs, object headers aside). */
  public long bytes() {
    long b = x != null ? 8L * x.length : 4L * xf.length;
    if (rowStart != null) {
      b += 4L * (rowStart.length + col.length);
    }
    return b + 8L * y.length + (w == null ? 0 : 8L * w.length);
  }
}
