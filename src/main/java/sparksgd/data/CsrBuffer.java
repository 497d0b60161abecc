package sparksgd.data;

import java.util.Arrays;
import sparksgd.model.Batch;

/**
 * A reusable CSR batch that a worker gathers a step's sparse rows into: row starts, column indices and
 * values (float64 or float32, as the blocks hold them), growing to the largest step seen, never shrinking.
 */
public final class CsrBuffer {
  private int[] start = new int[1];
  private int[] col = new int[0];
  private double[] val = new double[0];
  private float[] valF = new float[0];
  private double[] y = new double[0];
  private int rows;
  private boolean f32;

  /** Empties the buffer for rows whose values are float32 ({@code f32}) or float64. */
  public void clear(boolean f32) {
    this.f32 = f32;
    rows = 0;
  }

  /** Appends row {@code r} of CSR block {@code b}. */
  public void add(Block b, int r) {
    int from = b.rowStart[r];
    int n = b.rowStart[r + 1] - from;
    int at = start[rows];
    if (rows + 2 > start.length) {
      start = Arrays.copyOf(start, Math.max(16, 2 * start.length));
      y = Arrays.copyOf(y, start.length);
    }
    if (at + n > col.length) {
      int size = Math.max(at + n, 2 * col.length);
      col = Arrays.copyOf(col, size);
      if (f32) {
        valF = Arrays.copyOf(valF, size);
      } else {
        val = Arrays.copyOf(val, size);
      }
    }
    System.arraycopy(b.col, from, col, at, n);
    if (f32) {
      System.arraycopy(b.xf, from, valF, at, n);
    } else {
      System.arraycopy(b.x, from, val, at, n);
    }
    y[rows] = b.y[r];
    rows++;
    start[rows] = at + n;
  }

  /**
   * Normalizes gathered float64 rows in place as the loader's normalized blocks are ({@code (v - shift) / scale}
   * per column, the label at {@code shift[cols]}), then, with {@code toF32}, rounds the values to floats as
   * float32 blocks hold them. {@code shift} null: rows already normalized, only rounded.
   */
  public void normalize(double[] shift, double[] scale, int cols, boolean toF32) {
    int n = start[rows];
    if (shift != null) {
      for (int i = 0; i < n; i++) {
        val[i] = (val[i] - shift[col[i]]) / scale[col[i]];
      }
      for (int r = 0; r < rows; r++) {
        y[r] = (y[r] - shift[cols]) / scale[cols];
      }
    }
    if (toF32 && !f32) {
      if (valF.length < n) {
        valF = new float[val.length];
      }
      for (int i = 0; i < n; i++) {
        valF[i] = (float) val[i];
      }
      f32 = true;
    }
  }

  /** The gathered rows as a batch of {@code cols} features. */
  public Batch batch(int cols) {
    return Batch.csr(start, col, f32 ? null : val, f32 ? valF : null, y, 0, rows, cols);
  }
}
