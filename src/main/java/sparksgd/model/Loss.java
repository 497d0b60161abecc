package sparksgd.model;

import java.io.Serializable;

/**
 * A loss over the model's raw outputs {@code z} (one row of {@code k} values per example) together with
 * its output function (identity, sigmoid, softmax). Losses are computed from the raw outputs so that
 * sigmoid/softmax cross-entropy stay numerically stable.
 */
public interface Loss extends Serializable {
  /** Config name: {@code mse}, {@code bce}, {@code softmax}. */
  String name();

  /**
   * For {@code rows} rows of raw outputs {@code z[zOff..]} ({@code k} per row) and labels
   * {@code y[yOff..]} ({@code labelWidth} per row), writes dLoss/dz per row into {@code delta}
   * (same layout as z, from index 0) and returns the sum of the per-row losses.
   */
  double lossAndDelta(double[] z, int zOff, double[] y, int yOff, int rows, int k, int labelWidth,
      double[] delta);

  /** Sum of per-row losses only (evaluation). */
  double loss(double[] z, int zOff, double[] y, int yOff, int rows, int k, int labelWidth);

  /** Applies the output function in place: identity for mse, sigmoid for bce, softmax for softmax. */
  void outputFunction(double[] z, int zOff, int rows, int k);
}
