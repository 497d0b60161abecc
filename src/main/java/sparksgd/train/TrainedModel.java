package sparksgd.train;

import java.io.Serializable;
import java.util.List;
import sparksgd.data.FeatureStats;
import sparksgd.model.Loss;
import sparksgd.model.Model;

/**
 * Everything needed to use a trained model on new rows: the model, its parameters, the loss (for its
 * output function), and the training statistics that normalize inputs and de-normalize outputs;
 * {@code encoding} is how categorical columns become features ({@code data.categorical}), or null.
 */
public record TrainedModel(Model model, Loss loss, double[] params, FeatureStats stats, List<String> features,
    String label, sparksgd.data.CategoricalEncoder encoding) implements Serializable {

  /** A model without categorical columns. */
  public TrainedModel(Model model, Loss loss, double[] params, FeatureStats stats, List<String> features,
      String label) {
    this(model, loss, params, stats, features, label, null);
  }

  /**
   * Predictions (label units) for {@code rows} raw rows {@code [features...]} laid out row-major in
   * {@code x} (normalized in place).
   */
  public double[] predictRaw(double[] x, int rows) {
    int k = model.outputs();
    double[] z = logits(x, rows);
    loss.outputFunction(z, 0, rows, k);
    double[] out = new double[rows];
    for (int r = 0; r < rows; r++) {
      out[r] = z[r * k] * stats.labelScale() + stats.labelShift();
    }
    return out;
  }

  /**
   * The model's {@code rows x outputs} raw outputs before the output function (logits for bce and
   * softmax) for raw rows {@code x} (normalized in place).
   */
  public double[] logits(double[] x, int rows) {
    int d = features.size();
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < d; j++) {
        x[r * d + j] = (x[r * d + j] - stats.shift(j)) / stats.scale(j);
      }
    }
    return sparksgd.model.Forward.logits(model, params,
        new sparksgd.model.Batch(x, new double[Math.max(1, rows)], 0, rows, d, 1));
  }
}
