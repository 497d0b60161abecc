package sparksgd.train;

import java.util.List;
import sparksgd.data.FeatureStats;
import sparksgd.model.Batch;
import sparksgd.model.Forward;

/**
 * A chunk of parsed rows through a trained model: dense rows {@code [features..., (weight,) label]} are
 * normalized in a dense batch; sparse rows {@code [c0, v0, ..., label]} (LibSVM, or one-hot slots) become a
 * CSR batch, each nonzero scaled by its column's rule, so a row costs its nonzeros, never the model's width.
 * Sparse rows need statistics that do not shift the features (a model trained sparse); the caller reads
 * rows dense otherwise.
 */
final class RowScorer {
  private RowScorer() {}

  /** The model's raw outputs ({@code rows x outputs}) for the rows. */
  static double[] logits(TrainedModel model, List<double[]> rows, boolean sparse) {
    int d = model.features().size();
    int n = rows.size();
    if (!sparse) {
      double[] x = new double[n * d];
      for (int r = 0; r < n; r++) {
        System.arraycopy(rows.get(r), 0, x, r * d, d);
      }
      return model.logits(x, n);
    }
    FeatureStats stats = model.stats();
    int[] start = new int[n + 1];
    for (int r = 0; r < n; r++) {
      start[r + 1] = start[r] + rows.get(r).length / 2;
    }
    int[] col = new int[start[n]];
    double[] val = new double[start[n]];
    for (int r = 0; r < n; r++) {
      double[] v = rows.get(r);
      for (int i = 0; i < v.length / 2; i++) {
        int c = (int) v[2 * i];
        col[start[r] + i] = c;
        val[start[r] + i] = (v[2 * i + 1] - stats.shift(c)) / stats.scale(c);
      }
    }
    return Forward.logits(model.model(), model.params(),
        Batch.csr(start, col, val, null, new double[Math.max(1, n)], 0, n, d));
  }

  /** Predictions in the label's units, as {@link TrainedModel#predictRaw}. */
  static double[] predictions(TrainedModel model, List<double[]> rows, boolean sparse) {
    int k = model.model().outputs();
    double[] z = logits(model, rows, sparse);
    model.loss().outputFunction(z, 0, rows.size(), k);
    double[] out = new double[rows.size()];
    for (int r = 0; r < out.length; r++) {
      out[r] = z[r * k] * model.stats().labelScale() + model.stats().labelShift();
    }
    return out;
  }
}
