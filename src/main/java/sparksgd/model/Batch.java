package sparksgd.model;

/**
 * A view of {@code rows} consecutive rows of feature storage and their labels: what every kernel takes.
 * The storage is one of
 * <ul>
 *   <li>dense float64: row {@code r} has features {@code x[(offset + r) * cols + j]};</li>
 *   <li>dense float32: the same layout in {@code xf};</li>
 *   <li>CSR (compressed sparse rows): row {@code r}'s nonzeros are at {@code [rowStart[offset + r],
 *       rowStart[offset + r + 1])} of {@code col} (ascending column indices) and of the values, which
 *       are {@code x} (float64) or {@code xf} (float32).</li>
 * </ul>
 * Labels are {@code y[(offset + r) * labelWidth + k]} in every case (always double: class indices and
 * targets stay exact, and they are a small share of the bytes). Views never copy: a block of cached
 * training data and a gathered mini-batch are both just arrays with an offset.
 * {@code w} is null (every row weighs 1) or the rows' sample weights, {@code w[offset + r]}
 * ({@code data.weight}): every loss and gradient sum then weighs row r by it.
 */
public record Batch(double[] x, float[] xf, int[] rowStart, int[] col, double[] y, int offset, int rows, int cols,
    int labelWidth, double[] w) {
  /** Unweighted rows. */
  public Batch(double[] x, float[] xf, int[] rowStart, int[] col, double[] y, int offset, int rows, int cols,
      int labelWidth) {
    this(x, xf, rowStart, col, y, offset, rows, cols, labelWidth, null);
  }

  /** The same rows weighted by {@code weights} (indexed like the labels' rows); null = unweighted. */
  public Batch weighted(double[] weights) {
    return new Batch(x, xf, rowStart, col, y, offset, rows, cols, labelWidth, weights);
  }

  public Batch {
    if (rows < 0 || offset < 0 || cols < 1 || labelWidth < 1) {
      throw new IllegalArgumentException("bad batch shape");
    }
    if ((x == null) == (xf == null)) {
      throw new IllegalArgumentException("a batch has either float64 or float32 values");
    }
    if ((rowStart == null) != (col == null)) {
      throw new IllegalArgumentException("a sparse batch needs both row starts and column indices");
    }
  }

  /** Dense float64 rows. */
  public Batch(double[] x, double[] y, int offset, int rows, int cols, int labelWidth) {
    this(x, null, null, null, y, offset, rows, cols, labelWidth);
  }

  public static Batch of(double[] x, double[] y, int rows, int cols) {
    return new Batch(x, y, 0, rows, cols, 1);
  }

  /** Dense float32 rows. */
  public static Batch dense32(float[] xf, double[] y, int offset, int rows, int cols, int labelWidth) {
    return new Batch(null, xf, null, null, y, offset, rows, cols, labelWidth);
  }

  /** CSR rows with float64 ({@code values}) or float32 ({@code valuesF}) values; one of them is null. */
  public static Batch csr(int[] rowStart, int[] col, double[] values, float[] valuesF, double[] y, int offset,
      int rows, int cols) {
    return new Batch(values, valuesF, rowStart, col, y, offset, rows, cols, 1);
  }

  public boolean sparse() {
    return rowStart != null;
  }

  public Precision precision() {
    return xf != null ? Precision.FLOAT32 : Precision.FLOAT64;
  }

  /** Index of the first feature value of a dense batch. */
  public int xOffset() {
    return offset * cols;
  }

  public int yOffset() {
    return offset * labelWidth;
  }
}
