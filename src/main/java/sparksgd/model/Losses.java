package sparksgd.model;

/**
 * The three losses, each paired with its output function. All work on raw outputs z so that the
 * cross-entropies can use the numerically stable log-sum-exp / softplus forms.
 */
public final class Losses {
  private Losses() {}

  public static final Loss MSE = new Mse();
  public static final Loss BCE = new Bce();
  public static final Loss SOFTMAX = new Softmax();

  /** By config name: {@code mse}, {@code bce}, {@code softmax}. */
  public static Loss parse(String name) {
    return ConfigNames.parse(LossType.class, "loss", name).loss();
  }

  /** Base: singletons stay singletons after Java serialization; toString is the config name. */
  private abstract static class Base implements Loss {
    private static final long serialVersionUID = 1L;

    @Override
    public String toString() {
      return name();
    }

    protected Object readResolve() {
      return parse(name());
    }

    /** A loss of one label per output ({@code label} says what kind) refuses any other label width. */
    static void checkWidth(String label, int k, int labelWidth) {
      if (labelWidth != k) {
        throw new IllegalArgumentException(label + " per output: label width " + labelWidth + " but " + k
            + " outputs");
      }
    }
  }

  /**
   * Squared error summed over the k outputs of a row (the Keras book's "mse" is its mean over rows,
   * which the driver's division by the batch size gives). Identity output; dL/dz = 2 (z - y).
   */
  // Mse and Bce keep their own loops (alike in shape): a per-element call would keep the JIT from vectorizing them.
  static final class Mse extends Base {
    private static final long serialVersionUID = 1L;

    @Override
    public String name() {
      return "mse";
    }

    @Override
    public double lossAndDelta(double[] z, int zOff, double[] y, int yOff, int rows, int k, int labelWidth,
        double[] delta) {
      checkWidth("mse needs one label", k, labelWidth);
      int n = rows * k;
      double sum = 0;
      for (int i = 0; i < n; i++) {
        double e = z[zOff + i] - y[yOff + i];
        sum += e * e;
        delta[i] = 2.0 * e;
      }
      return sum;
    }

    @Override
    public double loss(double[] z, int zOff, double[] y, int yOff, int rows, int k, int labelWidth) {
      checkWidth("mse needs one label", k, labelWidth);
      int n = rows * k;
      double sum = 0;
      for (int i = 0; i < n; i++) {
        double e = z[zOff + i] - y[yOff + i];
        sum += e * e;
      }
      return sum;
    }

    @Override
    public void outputFunction(double[] z, int zOff, int rows, int k) {}
  }

  /**
   * Binary cross-entropy on a sigmoid output, per output unit (k independent binary labels), from the
   * logit z: -y log s(z) - (1 - y) log(1 - s(z)) = max(z, 0) - z y + log1p(exp(-|z|)), which never
   * overflows nor takes log(0). dL/dz = s(z) - y.
   */
  static final class Bce extends Base {
    private static final long serialVersionUID = 1L;

    @Override
    public String name() {
      return "bce";
    }

    @Override
    public double lossAndDelta(double[] z, int zOff, double[] y, int yOff, int rows, int k, int labelWidth,
        double[] delta) {
      checkWidth("bce needs one 0/1 label", k, labelWidth);
      int n = rows * k;
      double sum = 0;
      for (int i = 0; i < n; i++) {
        double v = z[zOff + i];
        double t = y[yOff + i];
        sum += Math.max(v, 0.0) - v * t + Math.log1p(Math.exp(-Math.abs(v)));
        delta[i] = Activation.sigmoid(v) - t;
      }
      return sum;
    }

    @Override
    public double loss(double[] z, int zOff, double[] y, int yOff, int rows, int k, int labelWidth) {
      checkWidth("bce needs one 0/1 label", k, labelWidth);
      int n = rows * k;
      double sum = 0;
      for (int i = 0; i < n; i++) {
        double v = z[zOff + i];
        sum += Math.max(v, 0.0) - v * y[yOff + i] + Math.log1p(Math.exp(-Math.abs(v)));
      }
      return sum;
    }

    @Override
    public void outputFunction(double[] z, int zOff, int rows, int k) {
      int n = rows * k;
      for (int i = 0; i < n; i++) {
        z[zOff + i] = Activation.sigmoid(z[zOff + i]);
      }
    }
  }

  /**
   * Categorical cross-entropy on a softmax output: per row log(sum_j exp(z_j)) - sum_j t_j z_j (for
   * target probabilities t summing to 1), with the maximum subtracted before exponentiating.
   * dL/dz = softmax(z) - t. Labels are a class index 0..K-1 when the label width is 1, or K
   * probabilities (one-hot) per row when it is K.
   */
  static final class Softmax extends Base {
    private static final long serialVersionUID = 1L;

    @Override
    public String name() {
      return "softmax";
    }

    @Override
    public double lossAndDelta(double[] z, int zOff, double[] y, int yOff, int rows, int k, int labelWidth,
        double[] delta) {
      return compute(z, zOff, y, yOff, rows, k, labelWidth, delta);
    }

    @Override
    public double loss(double[] z, int zOff, double[] y, int yOff, int rows, int k, int labelWidth) {
      return compute(z, zOff, y, yOff, rows, k, labelWidth, null);
    }

    private static double compute(double[] z, int zOff, double[] y, int yOff, int rows, int k, int labelWidth,
        double[] delta) {
      boolean index = labelWidth == 1;
      if (!index && labelWidth != k) {
        throw new IllegalArgumentException("softmax labels must be a class index (width 1) or " + k
            + " probabilities per row, got width " + labelWidth);
      }
      double sum = 0;
      for (int r = 0; r < rows; r++) {
        int zr = zOff + r * k;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
          max = Math.max(max, z[zr + j]);
        }
        double s = 0;
        for (int j = 0; j < k; j++) {
          s += Math.exp(z[zr + j] - max);
        }
        double lse = max + Math.log(s);
        if (index) {
          int c = classIndex(y[yOff + r], k);
          sum += lse - z[zr + c];
          if (delta != null) {
            int dr = r * k;
            for (int j = 0; j < k; j++) {
              delta[dr + j] = Math.exp(z[zr + j] - lse);
            }
            delta[dr + c] -= 1.0;
          }
        } else {
          int yr = yOff + r * k;
          double tz = 0;
          double tsum = 0;
          for (int j = 0; j < k; j++) {
            tz += y[yr + j] * z[zr + j];
            tsum += y[yr + j];
          }
          // Written for sum(t) = 1; with general t the gradient below is exactly the derivative of
          // tsum * lse - t.z, so loss and gradient stay consistent either way.
          sum += tsum * lse - tz;
          if (delta != null) {
            int dr = r * k;
            for (int j = 0; j < k; j++) {
              delta[dr + j] = tsum * Math.exp(z[zr + j] - lse) - y[yr + j];
            }
          }
        }
      }
      return sum;
    }

    private static int classIndex(double label, int k) {
      int c = (int) label;
      if (c != label || c < 0 || c >= k) {
        throw new IllegalArgumentException("softmax class label must be an integer in 0.." + (k - 1)
            + ", got " + label);
      }
      return c;
    }

    @Override
    public void outputFunction(double[] z, int zOff, int rows, int k) {
      for (int r = 0; r < rows; r++) {
        int zr = zOff + r * k;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
          max = Math.max(max, z[zr + j]);
        }
        double s = 0;
        for (int j = 0; j < k; j++) {
          double e = Math.exp(z[zr + j] - max);
          z[zr + j] = e;
          s += e;
        }
        for (int j = 0; j < k; j++) {
          z[zr + j] /= s;
        }
      }
    }
  }
}
