package sparksgd.model;

/**
 * Hidden-layer activation functions. Each works in place over an array range with one switch per call
 * (not per element), and its derivative is expressed through the activation's OUTPUT, so the backward
 * pass needs only the stored activations, never the pre-activations.
 */
public enum Activation {
  RELU,
  TANH,
  SIGMOID,
  IDENTITY;

  /** The name in job files and model.json: {@code GLOROT_UNIFORM} is {@code glorot-uniform}. */
  public String configName() {
    return ConfigNames.of(this);
  }

  @Override
  public String toString() {
    return configName();
  }

  /** By config name (case-insensitive); the error lists the allowed names. */
  public static Activation parse(String name) {
    return ConfigNames.parse(Activation.class, "activation", name);
  }

  /**
   * Applies the function in place to {@code a[from, to)}. Loops are branch-free (Math.max rather than a
   * comparison): ReLU inputs are half negative at random, and a mispredicted branch per element made
   * the activation cost more than the matrix products.
   */
  public void apply(double[] a, int from, int to) {
    switch (this) {
      case RELU:
        for (int i = from; i < to; i++) {
          // Math.max keeps NaN visible (NaN in, NaN out) so divergence is still detected.
          a[i] = Math.max(a[i], 0.0);
        }
        break;
      case TANH:
        for (int i = from; i < to; i++) {
          a[i] = Math.tanh(a[i]);
        }
        break;
      case SIGMOID:
        for (int i = from; i < to; i++) {
          a[i] = sigmoid(a[i]);
        }
        break;
      case IDENTITY:
        break;
      default:
        throw new AssertionError(this);
    }
  }

  /**
   * Multiplies {@code delta[dOff, dOff + n)} element-wise by the derivative of this function, given the
   * function's outputs {@code out[oOff, oOff + n)}: relu' = [y > 0], tanh' = 1 - y^2, sigmoid' = y(1 - y).
   */
  public void multiplyDerivative(double[] out, int oOff, double[] delta, int dOff, int n) {
    switch (this) {
      case RELU:
        // ReLU outputs are +0.0 or positive: the mask is all ones exactly when the output's bits are
        // non-zero. Bit arithmetic instead of a branch (see apply).
        for (int i = 0; i < n; i++) {
          long bits = Double.doubleToRawLongBits(out[oOff + i]);
          long mask = (bits | -bits) >> 63;
          delta[dOff + i] = Double.longBitsToDouble(Double.doubleToRawLongBits(delta[dOff + i]) & mask);
        }
        break;
      case TANH:
        for (int i = 0; i < n; i++) {
          double y = out[oOff + i];
          delta[dOff + i] *= 1.0 - y * y;
        }
        break;
      case SIGMOID:
        for (int i = 0; i < n; i++) {
          double y = out[oOff + i];
          delta[dOff + i] *= y * (1.0 - y);
        }
        break;
      case IDENTITY:
        break;
      default:
        throw new AssertionError(this);
    }
  }

  /** {@link #apply(double[], int, int)} for float32 data (tanh and sigmoid evaluated in double, then rounded). */
  public void apply(float[] a, int from, int to) {
    switch (this) {
      case RELU:
        for (int i = from; i < to; i++) {
          a[i] = Math.max(a[i], 0.0f);
        }
        break;
      case TANH:
        for (int i = from; i < to; i++) {
          a[i] = (float) Math.tanh(a[i]);
        }
        break;
      case SIGMOID:
        for (int i = from; i < to; i++) {
          a[i] = (float) sigmoid(a[i]);
        }
        break;
      case IDENTITY:
        break;
      default:
        throw new AssertionError(this);
    }
  }

  /** {@link #multiplyDerivative(double[], int, double[], int, int)} for float32 data. */
  public void multiplyDerivative(float[] out, int oOff, float[] delta, int dOff, int n) {
    switch (this) {
      case RELU:
        // relu' as a multiplier in {0, 1}: an output y > 0 (even the smallest subnormal, 2^-149) times 2^252
        // is >= 1, and +0 stays 0. Unlike the float64 path's bit mask (float <-> int moves, which C2 does
        // not vectorize), min and multiply vectorize: measured 2-4x faster on 64K values. delta x 1 is exact,
        // so only the sign of a zero can differ from the mask (delta < 0 times 0 is -0.0); a NaN output
        // gives NaN, so divergence still shows.
        for (int i = 0; i < n; i++) {
          delta[dOff + i] *= Math.min(out[oOff + i] * 0x1p126f * 0x1p126f, 1.0f);
        }
        break;
      case TANH:
        for (int i = 0; i < n; i++) {
          float y = out[oOff + i];
          delta[dOff + i] *= 1.0f - y * y;
        }
        break;
      case SIGMOID:
        for (int i = 0; i < n; i++) {
          float y = out[oOff + i];
          delta[dOff + i] *= y * (1.0f - y);
        }
        break;
      case IDENTITY:
        break;
      default:
        throw new AssertionError(this);
    }
  }

  /**
   * Logistic function. No branch: for very negative x, exp(-x) overflows to infinity and the result is
   * exactly 0, which is the right limit, so there is no NaN to guard against.
   */
  static double sigmoid(double x) {
    return 1.0 / (1.0 + Math.exp(-x));
  }
}
