package sparksgd.engine.gang;

import sparksgd.model.Loss;

/** A test-only squared-error loss {@code (z - y)^2 / 2}, identity output. */
final class TinyMse implements Loss {
  private static final long serialVersionUID = 1L;

  @Override
  public String name() {
    return "mse";
  }

  @Override
  public double lossAndDelta(double[] z, int zOff, double[] y, int yOff, int rows, int k, int labelWidth,
      double[] delta) {
    double sum = 0;
    for (int r = 0; r < rows; r++) {
      double e = z[zOff + r] - y[yOff + r];
      delta[r] = e;
      sum += 0.5 * e * e;
    }
    return sum;
  }

  @Override
  public double loss(double[] z, int zOff, double[] y, int yOff, int rows, int k, int labelWidth) {
    double sum = 0;
    for (int r = 0; r < rows; r++) {
      double e = z[zOff + r] - y[yOff + r];
      sum += 0.5 * e * e;
    }
    return sum;
  }

  @Override
  public void outputFunction(double[] z, int zOff, int rows, int k) {}
}
