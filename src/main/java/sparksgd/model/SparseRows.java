package sparksgd.model;

/**
 * The two products a CSR batch needs in the first layer, touching only each row's nonzeros:
 * {@code Z += X W} (forward) and {@code gW += X^T Delta} (the weight gradient, nonzero only in the rows of
 * W whose features occur in the batch). {@code W} is {@code [inputs, out]} row-major, so each nonzero reads
 * or updates one contiguous row of {@code out} values. Float64 and float32 versions compute alike.
 */
final class SparseRows {
  private SparseRows() {}

  /** {@code z[zOff + r * out + j] += sum over row r's nonzeros (c, v) of v * w[wOff + c * out + j]}. */
  static void multiply(Batch b, int row0, int rows, double[] w, int wOff, int out, int inputs, double[] z, int zOff) {
    int[] start = b.rowStart();
    int[] col = b.col();
    double[] v = b.x();
    if (out == 1) { // the linear model: one dot product a row, summed in the same order as below
      for (int r = 0; r < rows; r++) {
        double acc = z[zOff + r];
        for (int i = start[row0 + r]; i < start[row0 + r + 1]; i++) {
          acc += v[i] * w[wOff + checked(col[i], inputs)];
        }
        z[zOff + r] = acc;
      }
      return;
    }
    for (int r = 0; r < rows; r++) {
      int zr = zOff + r * out;
      for (int i = start[row0 + r]; i < start[row0 + r + 1]; i++) {
        int w0 = wOff + checked(col[i], inputs) * out;
        double x = v[i];
        for (int j = 0; j < out; j++) {
          z[zr + j] += x * w[w0 + j];
        }
      }
    }
  }

  static void multiply(Batch b, int row0, int rows, float[] w, int wOff, int out, int inputs, float[] z, int zOff) {
    int[] start = b.rowStart();
    int[] col = b.col();
    float[] v = b.xf();
    for (int r = 0; r < rows; r++) {
      int zr = zOff + r * out;
      for (int i = start[row0 + r]; i < start[row0 + r + 1]; i++) {
        int w0 = wOff + checked(col[i], inputs) * out;
        float x = v[i];
        for (int j = 0; j < out; j++) {
          z[zr + j] += x * w[w0 + j];
        }
      }
    }
  }

  /** {@code g[gOff + c * out + j] += v * delta[r * out + j]} for every nonzero (c, v) of every row r. */
  static void addOuter(Batch b, int row0, int rows, double[] delta, int out, double[] g, int gOff) {
    int[] start = b.rowStart();
    int[] col = b.col();
    double[] v = b.x();
    if (out == 1) {
      for (int r = 0; r < rows; r++) {
        double d = delta[r];
        for (int i = start[row0 + r]; i < start[row0 + r + 1]; i++) {
          g[gOff + col[i]] += v[i] * d;
        }
      }
      return;
    }
    for (int r = 0; r < rows; r++) {
      int dr = r * out;
      for (int i = start[row0 + r]; i < start[row0 + r + 1]; i++) {
        int g0 = gOff + col[i] * out;
        double x = v[i];
        for (int j = 0; j < out; j++) {
          g[g0 + j] += x * delta[dr + j];
        }
      }
    }
  }

  static void addOuter(Batch b, int row0, int rows, float[] delta, int out, float[] g, int gOff) {
    int[] start = b.rowStart();
    int[] col = b.col();
    float[] v = b.xf();
    for (int r = 0; r < rows; r++) {
      int dr = r * out;
      for (int i = start[row0 + r]; i < start[row0 + r + 1]; i++) {
        int g0 = gOff + col[i] * out;
        float x = v[i];
        for (int j = 0; j < out; j++) {
          g[g0 + j] += x * delta[dr + j];
        }
      }
    }
  }

  private static int checked(int c, int inputs) {
    if (c < 0 || c >= inputs) {
      throw new IllegalArgumentException("feature index " + c + " outside 0.." + (inputs - 1));
    }
    return c;
  }
}
