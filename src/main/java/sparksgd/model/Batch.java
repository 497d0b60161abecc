package sparksgd.model;

/**
 * A view of {@code rows} consecutive rows of a row-major feature matrix and their labels.
 * Row {@code r} of the view has features {@code x[(offset + r) * cols + j]} and label(s)
 * {@code y[(offset + r) * labelWidth + k]}. Views never copy: a block of cached training data
 * and a gathered mini-batch are both just arrays with an offset.
 */
public record Batch(double[] x, double[] y, int offset, int rows, int cols, int labelWidth) {
  public Batch {
    if (rows < 0 || offset < 0 || cols < 1 || labelWidth < 1) {
      throw new IllegalArgumentException("bad batch shape");
    }
  }

  public static Batch of(double[] x, double[] y, int rows, int cols) {
    return new Batch(x, y, 0, rows, cols, 1);
  }

  public int xOffset() {
    return offset * cols;
  }

  public int yOffset() {
    return offset * labelWidth;
  }
}
