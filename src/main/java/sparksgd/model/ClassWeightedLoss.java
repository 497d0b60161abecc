package sparksgd.model;

import java.util.Arrays;

/**
 * A classification loss ({@code bce} with one output, or {@code softmax}) whose per-row loss and gradient
 * are multiplied by the weight of the row's class: {@code weights[y]} for a 0/1 or class-index label,
 * {@code sum_j t_j weights[j]} for probability labels. Implemented in the loss, so the cached data blocks
 * stay as they are. Evaluation losses are weighted the same way; accuracy and F1 are not.
 */
public final class ClassWeightedLoss implements Loss {
  private static final long serialVersionUID = 1L;

  private final Loss base;
  private final double[] weights;

  public ClassWeightedLoss(Loss base, double[] weights) {
    if (!base.name().equals("bce") && !base.name().equals("softmax")) {
      throw new IllegalArgumentException("class weights need bce or softmax, not " + base.name());
    }
    for (double w : weights) {
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw new IllegalArgumentException("class weights must be finite and >= 0, got " + Arrays.toString(weights));
      }
    }
    this.base = base;
    this.weights = weights.clone();
  }

  public double[] weights() {
    return weights.clone();
  }

  @Override
  public String name() {
    return base.name();
  }

  @Override
  public double lossAndDelta(double[] z, int zOff, double[] y, int yOff, int rows, int k, int labelWidth,
      double[] delta) {
    double[] one = new double[k];
    double sum = 0;
    for (int r = 0; r < rows; r++) {
      double w = weight(y, yOff + r * labelWidth, k, labelWidth);
      sum += w * base.lossAndDelta(z, zOff + r * k, y, yOff + r * labelWidth, 1, k, labelWidth, one);
      for (int j = 0; j < k; j++) {
        delta[r * k + j] = w * one[j];
      }
    }
    return sum;
  }

  @Override
  public double loss(double[] z, int zOff, double[] y, int yOff, int rows, int k, int labelWidth) {
    double sum = 0;
    for (int r = 0; r < rows; r++) {
      sum += weight(y, yOff + r * labelWidth, k, labelWidth)
          * base.loss(z, zOff + r * k, y, yOff + r * labelWidth, 1, k, labelWidth);
    }
    return sum;
  }

  /** The row's weight: its class's, or the label-probability-weighted mean for probability labels. */
  private double weight(double[] y, int at, int k, int labelWidth) {
    if (labelWidth == 1) {
      int c = (int) y[at];
      if (c != y[at] || c < 0 || c >= weights.length) {
        throw new IllegalArgumentException("class label " + y[at] + " has no class weight (" + weights.length
            + " given)");
      }
      return weights[c];
    }
    double w = 0;
    for (int j = 0; j < labelWidth; j++) {
      w += y[at + j] * weights[Math.min(j, weights.length - 1)];
    }
    return w;
  }

  @Override
  public void outputFunction(double[] z, int zOff, int rows, int k) {
    base.outputFunction(z, zOff, rows, k);
  }

  @Override
  public String toString() {
    return base.name() + " (class weights " + Arrays.toString(weights) + ")";
  }
}
