package sparksgd.model;

import java.io.Serializable;

/**
 * A differentiable model whose parameters live in one flat {@code double[]}, so aggregation,
 * optimizers and checkpoints treat every model alike. Pure math over {@link Batch}es: no Spark.
 * Implementations are immutable descriptions (shapes, activations); all mutable scratch space
 * lives in a {@link Workspace} owned by the caller, so one model can serve many threads.
 */
public interface Model extends Serializable {
  /** Number of input features. */
  int inputs();

  /** Width of the output layer (1 for regression and binary classification, K for softmax). */
  int outputs();

  /** Total number of parameters. */
  int numParams();

  /** Named tensors inside the flat parameter vector (what gets saved as .npy files). */
  ParamLayout layout();

  /** Fills {@code params} with seeded initial values. */
  void init(double[] params, long seed);

  /** Scratch space for batches of up to {@code maxRows} rows. */
  Workspace newWorkspace(int maxRows);

  /**
   * Raw outputs (before the loss's output function) for every row of the batch, row-major
   * {@code rows x outputs()} into {@code out} starting at 0.
   */
  void forward(double[] params, Batch batch, double[] out, Workspace ws);

  /**
   * Adds the gradient of the SUM of per-row losses over the batch to {@code grad} (not divided by the
   * row count: partitions return sums, the driver divides once) and returns that loss sum.
   */
  double addGradient(double[] params, Batch batch, Loss loss, double[] grad, Workspace ws);

  /**
   * When the model's first weight matrix is {@code params[0, inputs() * width)}, row-major with one row of
   * {@code width} values per input feature (so a sparse batch's gradient touches only the rows of its
   * features, and every parameter after the matrix), that {@code width}; 0 when the model has no such layout.
   */
  default int sparseRowWidth() {
    return 0;
  }

  /**
   * For a model with a {@link #sparseRowWidth}: the same model over {@code features} inputs, whose parameters
   * are {@code features} rows of the first weight matrix followed by every parameter after it. A sparse step
   * computes over the rows of W1 its features select, renumbered 0.., with the same arithmetic in the same
   * order as over the whole matrix, and its workspace is this model's (W1's height sizes no scratch array).
   */
  default Model overFeatures(int features) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no sparse first layer");
  }

  /** The width of this model's arithmetic; float32 models use the {@code float[]} methods below. */
  default Precision precision() {
    return Precision.FLOAT64;
  }

  /** {@link #forward(double[], Batch, double[], Workspace)} of a float32 model over float32 rows. */
  default void forward(float[] params, Batch batch, float[] out, Workspace ws) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no float32 kernel");
  }

  /**
   * {@link #addGradient(double[], Batch, Loss, double[], Workspace)} of a float32 model: the gradient
   * sum in float32, the loss sum in double.
   */
  default double addGradient(float[] params, Batch batch, Loss loss, float[] grad, Workspace ws) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no float32 kernel");
  }
}
