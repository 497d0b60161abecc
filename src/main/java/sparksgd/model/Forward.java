package sparksgd.model;

/**
 * Raw outputs of a model for rows of any storage, at the model's own precision: rows of the other width
 * are converted first (float64 rows for a float32 model are rounded, as training rounded them), and a
 * float32 model's outputs are widened exactly. For scoring outside the training loop (predict, evaluate,
 * Spark ML, report charts), where a copy per call does not matter.
 */
public final class Forward {
  private Forward() {}

  /** {@code rows x outputs} raw outputs (before the loss's output function) of {@code batch}'s rows. */
  public static double[] logits(Model model, double[] params, Batch batch) {
    int rows = batch.rows();
    int k = model.outputs();
    double[] z = new double[rows * k];
    if (rows == 0) {
      return z;
    }
    Batch b = at(batch, model.precision());
    Workspace ws = model.newWorkspace(Math.max(1, Math.min(rows, 1024)));
    if (model.precision() == Precision.FLOAT32) {
      float[] p = new float[model.numParams()];
      Precision.narrow(params, p, p.length);
      float[] zf = new float[rows * k];
      model.forward(p, b, zf, ws);
      Precision.widen(zf, z, z.length);
    } else {
      model.forward(params, b, z, ws);
    }
    return z;
  }

  /** The batch's rows with values at {@code p} (the batch itself when they already are). */
  static Batch at(Batch batch, Precision p) {
    if (batch.precision() == p) {
      return batch;
    }
    int n = batch.sparse() ? batch.rowStart()[batch.offset() + batch.rows()] : (batch.offset() + batch.rows())
        * batch.cols();
    if (p == Precision.FLOAT32) {
      float[] xf = new float[n];
      Precision.narrow(batch.x(), xf, n);
      return new Batch(null, xf, batch.rowStart(), batch.col(), batch.y(), batch.offset(), batch.rows(),
          batch.cols(), batch.labelWidth());
    }
    double[] x = new double[n];
    Precision.widen(batch.xf(), x, n);
    return new Batch(x, null, batch.rowStart(), batch.col(), batch.y(), batch.offset(), batch.rows(), batch.cols(),
        batch.labelWidth());
  }
}
