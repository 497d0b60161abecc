package sparksgd.model;

import dev.ludovic.netlib.blas.BLAS;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fully connected network: {@code inputs -> hidden[0] -> ... -> outputs}, with an activation per hidden
 * layer and a raw (pre-output-function) output layer; with no hidden layers it is the linear model.
 *
 * <p>Parameters, in order in the flat vector: {@code W1, b1, W2, b2, ...}, where {@code W_l} is
 * {@code [fan_in, fan_out]} row-major and {@code b_l} is {@code [fan_out]}.
 *
 * <p>All arithmetic is over the whole batch at once with BLAS level-3 calls. Data are row-major and BLAS
 * is column-major, so a row-major {@code n x d} matrix is read as a column-major {@code d x n} one (its
 * transpose) with no copy: the forward pass {@code A_l = f(A_{l-1} W_l + b_l)} is computed as
 * {@code A_l^T = W_l^T A_{l-1}^T}, where {@code W_l^T} is exactly {@code W_l}'s memory read column-major.
 *
 * <p>Immutable and serializable (it travels to Spark tasks); scratch space lives in the caller's
 * {@link Workspace}, so one instance serves any number of threads.
 */
public final class Mlp implements Model {
  private static final long serialVersionUID = 1L;

  private final int inputs;
  private final int outputs;
  private final int[] hidden;
  private final Activation[] activations;
  private final Initializer initializer;
  private final Precision precision;

  // Derived from the above; kept (not recomputed) because they are tiny.
  /** widths[0] = inputs, widths[l] = hidden[l - 1], widths[layers] = outputs. */
  private final int[] widths;
  private final int[] wOff;
  private final int[] bOff;
  private final int numParams;
  private final ParamLayout layout;

  public Mlp(int inputs, int[] hidden, Activation[] activations, int outputs, Initializer initializer) {
    this(inputs, hidden, activations, outputs, initializer, Precision.FLOAT64);
  }

  public Mlp(int inputs, int[] hidden, Activation[] activations, int outputs, Initializer initializer,
      Precision precision) {
    if (inputs < 1) {
      throw new IllegalArgumentException("inputs must be >= 1, got " + inputs);
    }
    if (outputs < 1) {
      throw new IllegalArgumentException("outputs must be >= 1, got " + outputs);
    }
    if (hidden == null || activations == null || hidden.length != activations.length) {
      throw new IllegalArgumentException("need one activation per hidden layer: "
          + (hidden == null ? "null" : hidden.length) + " hidden layers, "
          + (activations == null ? "null" : activations.length) + " activations");
    }
    if (initializer == null) {
      throw new IllegalArgumentException("initializer must be set");
    }
    this.inputs = inputs;
    this.outputs = outputs;
    this.hidden = hidden.clone();
    this.activations = activations.clone();
    this.initializer = initializer;
    this.precision = precision == null ? Precision.FLOAT64 : precision;
    int layers = hidden.length + 1;
    widths = new int[layers + 1];
    widths[0] = inputs;
    for (int l = 0; l < hidden.length; l++) {
      if (hidden[l] < 1) {
        throw new IllegalArgumentException("hidden layer widths must be >= 1, got " + Arrays.toString(hidden));
      }
      if (activations[l] == null) {
        throw new IllegalArgumentException("activation of hidden layer " + (l + 1) + " is null");
      }
      widths[l + 1] = hidden[l];
    }
    widths[layers] = outputs;
    wOff = new int[layers];
    bOff = new int[layers];
    List<ParamLayout.Tensor> tensors = new ArrayList<>();
    long off = 0;
    for (int l = 0; l < layers; l++) {
      wOff[l] = (int) off;
      tensors.add(new ParamLayout.Tensor("W" + (l + 1), (int) off, new int[] {widths[l], widths[l + 1]}));
      off += (long) widths[l] * widths[l + 1];
      bOff[l] = (int) off;
      tensors.add(new ParamLayout.Tensor("b" + (l + 1), (int) off, new int[] {widths[l + 1]}));
      off += widths[l + 1];
      if (off > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("too many parameters for one array: more than " + off);
      }
    }
    numParams = (int) off;
    layout = new ParamLayout(List.copyOf(tensors));
  }

  /** The linear model {@code z = x W + b} (no hidden layers), Glorot-uniform weights like Keras. */
  public static Mlp linear(int inputs, int outputs) {
    return new Mlp(inputs, new int[0], new Activation[0], outputs, Initializer.GLOROT_UNIFORM);
  }

  /**
   * From config values: activation and initializer names as in the job file ({@code relu},
   * {@code glorot-uniform}, ...); {@code activations} has one entry per hidden layer.
   */
  public static Mlp of(int inputs, List<Integer> hidden, List<String> activations, String initializer,
      int outputs) {
    return of(inputs, hidden, activations.stream().map(Activation::parse).toList(), Initializer.parse(initializer),
        outputs);
  }

  /** From a job's typed model section; {@code activations} has one entry per hidden layer. */
  public static Mlp of(int inputs, List<Integer> hidden, List<Activation> activations, Initializer initializer,
      int outputs) {
    int[] h = hidden.stream().mapToInt(Integer::intValue).toArray();
    return new Mlp(inputs, h, activations.toArray(Activation[]::new), outputs, initializer);
  }

  /** From config values, at the given precision. */
  public static Mlp of(int inputs, List<Integer> hidden, List<String> activations, String initializer,
      int outputs, Precision precision) {
    return of(inputs, hidden, activations, initializer, outputs).withPrecision(precision);
  }

  /** The same architecture computed at {@code p}. */
  public Mlp withPrecision(Precision p) {
    return p == precision ? this : new Mlp(inputs, hidden, activations, outputs, initializer, p);
  }

  @Override
  public Precision precision() {
    return precision;
  }

  @Override
  public int inputs() {
    return inputs;
  }

  @Override
  public int outputs() {
    return outputs;
  }

  /** Hidden layer widths (a copy; empty for the linear model). */
  public int[] hidden() {
    return hidden.clone();
  }

  /** One activation per hidden layer (a copy). */
  public Activation[] activations() {
    return activations.clone();
  }

  public Initializer initializer() {
    return initializer;
  }

  public boolean isLinear() {
    return hidden.length == 0;
  }

  /** Number of weight layers (hidden layers + 1). */
  public int layers() {
    return hidden.length + 1;
  }

  @Override
  public int numParams() {
    return numParams;
  }

  /** W1 comes first in the flat vector, one row of {@code hidden[0]} (or outputs) values per input. */
  @Override
  public int sparseRowWidth() {
    return widths[1];
  }

  @Override
  public Mlp overFeatures(int features) {
    return features == inputs ? this : new Mlp(features, hidden, activations, outputs, initializer, precision);
  }

  @Override
  public ParamLayout layout() {
    return layout;
  }

  /**
   * The architecture as plain values (type, inputs, hidden, activations, outputs, initializer,
   * numParams), in a stable order, for model.json; {@link #of} rebuilds the model from them.
   */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", isLinear() ? "linear" : "mlp");
    m.put("inputs", inputs);
    List<Integer> h = new ArrayList<>();
    List<String> a = new ArrayList<>();
    for (int l = 0; l < hidden.length; l++) {
      h.add(hidden[l]);
      a.add(activations[l].configName());
    }
    m.put("hidden", List.copyOf(h));
    m.put("activations", List.copyOf(a));
    m.put("outputs", outputs);
    m.put("initializer", initializer.configName());
    m.put("numParams", numParams);
    m.put("precision", precision.configName());
    return m;
  }

  @Override
  public void init(double[] params, long seed) {
    checkParams(params.length);
    Arrays.fill(params, 0, numParams, 0.0);
    for (int l = 0; l < layers(); l++) {
      initializer.fill(params, wOff[l], widths[l], widths[l + 1], seed, l + 1);
    }
    // float32: the same draws, rounded, so a float32 run starts where the float64 run would.
    if (precision == Precision.FLOAT32) {
      for (int i = 0; i < numParams; i++) {
        params[i] = (float) params[i];
      }
    }
  }

  @Override
  public Workspace newWorkspace(int maxRows) {
    return new MlpWorkspace(maxRows, widths, precision);
  }

  /** The arguments of a forward pass: parameter count, the batch at {@code precision}, room for the outputs. */
  private void checkForward(int paramsLength, Batch batch, Precision precision, int outLength) {
    checkParams(paramsLength);
    checkBatch(batch, precision);
    if (outLength < (long) batch.rows() * outputs) {
      throw new IllegalArgumentException("output array holds " + outLength + " values, need "
          + (long) batch.rows() * outputs);
    }
  }

  /** A gradient pass's arguments: parameter count, the batch at {@code precision} and its labels, the gradient. */
  private void checkGradient(int paramsLength, Batch batch, Precision precision, int gradLength) {
    checkParams(paramsLength);
    checkBatch(batch, precision);
    if (gradLength < numParams) {
      throw new IllegalArgumentException("gradient array holds " + gradLength + " values, model has "
          + numParams + " parameters");
    }
    if (batch.y().length < (long) (batch.offset() + batch.rows()) * batch.labelWidth()) {
      throw new IllegalArgumentException("label array too short for the batch");
    }
  }

  // The float64 and float32 entry points below are twins: Java cannot be generic over double[]/float[] arrays.
  @Override
  public void forward(double[] params, Batch batch, double[] out, Workspace workspace) {
    checkForward(params.length, batch, Precision.FLOAT64, out.length);
    MlpWorkspace ws = workspace(workspace);
    int k = outputs;
    for (int start = 0; start < batch.rows(); start += ws.maxRows) {
      int rows = Math.min(ws.maxRows, batch.rows() - start);
      forwardChunk(params, batch, batch.offset() + start, rows, ws, out, start * k);
    }
  }

  @Override
  public double addGradient(double[] params, Batch batch, Loss loss, double[] grad, Workspace workspace) {
    checkGradient(params.length, batch, Precision.FLOAT64, grad.length);
    MlpWorkspace ws = workspace(workspace);
    int lw = batch.labelWidth();
    double lossSum = 0;
    for (int start = 0; start < batch.rows(); start += ws.maxRows) {
      int rows = Math.min(ws.maxRows, batch.rows() - start);
      int row0 = batch.offset() + start;
      forwardChunk(params, batch, row0, rows, ws, ws.z, 0);
      lossSum += backwardChunk(params, batch, row0, batch.y(), row0 * lw, lw, rows, loss, grad, ws);
    }
    return lossSum;
  }

  @Override
  public void forward(float[] params, Batch batch, float[] out, Workspace workspace) {
    checkForward(params.length, batch, Precision.FLOAT32, out.length);
    MlpWorkspace ws = workspace(workspace);
    int k = outputs;
    for (int start = 0; start < batch.rows(); start += ws.maxRows) {
      int rows = Math.min(ws.maxRows, batch.rows() - start);
      forwardChunk(params, batch, batch.offset() + start, rows, ws, out, start * k);
    }
  }

  @Override
  public double addGradient(float[] params, Batch batch, Loss loss, float[] grad, Workspace workspace) {
    checkGradient(params.length, batch, Precision.FLOAT32, grad.length);
    MlpWorkspace ws = workspace(workspace);
    int lw = batch.labelWidth();
    // The loss sum stays double: it adds thousands of per-row losses, and a float running sum would
    // lose digits the history and the divergence check read. It costs nothing next to the products.
    double lossSum = 0;
    for (int start = 0; start < batch.rows(); start += ws.maxRows) {
      int rows = Math.min(ws.maxRows, batch.rows() - start);
      int row0 = batch.offset() + start;
      forwardChunk(params, batch, row0, rows, ws, ws.zF, 0);
      lossSum += backwardChunk(params, batch, row0, batch.y(), row0 * lw, lw, rows, loss, grad, ws);
    }
    return lossSum;
  }

  /** Forward pass of {@code rows} rows at {@code x[xOff..]}: hidden activations into ws, raw outputs into z. */
  private void forwardChunk(double[] params, Batch batch, int row0, int rows, MlpWorkspace ws, double[] z,
      int zOff) {
    BLAS blas = Blas.get();
    int last = layers() - 1;
    double[] src = batch.x();
    int srcOff = row0 * inputs;
    for (int l = 0; l <= last; l++) {
      int in = widths[l];
      int out = widths[l + 1];
      double[] dst = l == last ? z : ws.acts[l];
      int dstOff = l == last ? zOff : 0;
      // The bias goes in first and the product is added to it (beta = 1): copying a row is cheaper
      // than a second pass over the result.
      fillRows(dst, dstOff, rows, out, params, bOff[l]);
      if (l == 0 && batch.sparse()) {
        SparseRows.multiply(batch, row0, rows, params, wOff[0], out, inputs, dst, dstOff);
      } else if (out == 1) {
        // One output column: a matrix-vector product, which BLAS does faster than a degenerate gemm.
        blas.dgemv("T", in, rows, 1.0, src, srcOff, in, params, wOff[l], 1, 1.0, dst, dstOff, 1);
      } else {
        // dst^T (out x rows) = W^T (out x in, i.e. W's memory column-major) * src^T (in x rows)
        blas.dgemm("N", "N", out, rows, in, 1.0, params, wOff[l], out, src, srcOff, in, 1.0, dst, dstOff, out);
      }
      if (l != last) {
        activations[l].apply(dst, dstOff, dstOff + rows * out);
      }
      src = dst;
      srcOff = dstOff;
    }
  }

  /**
   * Sample weights: multiplies row r's delta by {@code w[row0 + r]} and returns the weighted loss sum
   * (the per-row losses are computed again: only weighted batches pay for it).
   */
  private static double weigh(Loss loss, double[] z, double[] y, int yOff, int rows, int k, int labelWidth,
      double[] delta, double[] w, int row0) {
    double sum = 0;
    for (int r = 0; r < rows; r++) {
      double wr = w[row0 + r];
      sum += wr * loss.loss(z, r * k, y, yOff + r * labelWidth, 1, k, labelWidth);
      for (int j = 0; j < k; j++) {
        delta[r * k + j] *= wr;
      }
    }
    return sum;
  }

  /** Backward pass after {@link #forwardChunk} into ws.z; adds into grad, returns the chunk's loss sum. */
  private double backwardChunk(double[] params, Batch batch, int row0, double[] y, int yOff, int labelWidth,
      int rows, Loss loss, double[] grad, MlpWorkspace ws) {
    BLAS blas = Blas.get();
    double[] x = batch.x();
    int xOff = row0 * inputs;
    double[] delta = ws.deltaA;
    double[] other = ws.deltaB;
    double lossSum = loss.lossAndDelta(ws.z, 0, y, yOff, rows, outputs, labelWidth, delta);
    if (batch.w() != null) {
      lossSum = weigh(loss, ws.z, y, yOff, rows, outputs, labelWidth, delta, batch.w(), row0);
    }
    for (int l = layers() - 1; l >= 0; l--) {
      int in = widths[l];
      int out = widths[l + 1];
      double[] src = l == 0 ? x : ws.acts[l - 1];
      int srcOff = l == 0 ? xOff : 0;
      // dL/dW (in x out) += src^T delta; column-major: gW^T (out x in) += delta^T (out x rows) * src (rows x in)
      if (l == 0 && batch.sparse()) {
        SparseRows.addOuter(batch, row0, rows, delta, out, grad, wOff[0]);
      } else if (out == 1) {
        blas.dgemv("N", in, rows, 1.0, src, srcOff, in, delta, 0, 1, 1.0, grad, wOff[l], 1);
      } else {
        blas.dgemm("N", "T", out, in, rows, 1.0, delta, 0, out, src, srcOff, in, 1.0, grad, wOff[l], out);
      }
      // dL/db += column sums of delta = delta^T (out x rows) * ones
      blas.dgemv("N", out, rows, 1.0, delta, 0, out, ws.ones, 0, 1, 1.0, grad, bOff[l], 1);
      if (l > 0) {
        // delta_prev (rows x in) = delta W^T; column-major: (in x rows) = W (in x out) * delta^T (out x rows)
        blas.dgemm("T", "N", in, rows, out, 1.0, params, wOff[l], out, delta, 0, out, 0.0, other, 0, in);
        activations[l - 1].multiplyDerivative(ws.acts[l - 1], 0, other, 0, rows * in);
        double[] t = delta;
        delta = other;
        other = t;
      }
    }
    return lossSum;
  }

  // float32 twin of the float64 passes above: BLAS's sgemm/dgemm take float[]/double[], and Java has no generics
  // over primitive arrays (boxing or a copy per chunk would cost the kernels their speed).
  /** {@link #forwardChunk} in float32 (sgemm / sgemv). */
  private void forwardChunk(float[] params, Batch batch, int row0, int rows, MlpWorkspace ws, float[] z, int zOff) {
    BLAS blas = Blas.get();
    int last = layers() - 1;
    float[] src = batch.xf();
    int srcOff = row0 * inputs;
    for (int l = 0; l <= last; l++) {
      int in = widths[l];
      int out = widths[l + 1];
      float[] dst = l == last ? z : ws.actsF[l];
      int dstOff = l == last ? zOff : 0;
      fillRows(dst, dstOff, rows, out, params, bOff[l]);
      if (l == 0 && batch.sparse()) {
        SparseRows.multiply(batch, row0, rows, params, wOff[0], out, inputs, dst, dstOff);
      } else if (out == 1) {
        blas.sgemv("T", in, rows, 1.0f, src, srcOff, in, params, wOff[l], 1, 1.0f, dst, dstOff, 1);
      } else {
        blas.sgemm("N", "N", out, rows, in, 1.0f, params, wOff[l], out, src, srcOff, in, 1.0f, dst, dstOff, out);
      }
      if (l != last) {
        activations[l].apply(dst, dstOff, dstOff + rows * out);
      }
      src = dst;
      srcOff = dstOff;
    }
  }

  /** {@link #backwardChunk} in float32; the loss and its delta are computed in double from the float logits. */
  private double backwardChunk(float[] params, Batch batch, int row0, double[] y, int yOff, int labelWidth,
      int rows, Loss loss, float[] grad, MlpWorkspace ws) {
    BLAS blas = Blas.get();
    float[] x = batch.xf();
    int xOff = row0 * inputs;
    int n = rows * outputs;
    // Losses are written once, in double: widening the rows x outputs logits and narrowing the delta costs
    // two passes over a small array, and keeps exp/log1p of the cross-entropies accurate.
    for (int i = 0; i < n; i++) {
      ws.zD[i] = ws.zF[i];
    }
    double lossSum = loss.lossAndDelta(ws.zD, 0, y, yOff, rows, outputs, labelWidth, ws.deltaD);
    if (batch.w() != null) {
      lossSum = weigh(loss, ws.zD, y, yOff, rows, outputs, labelWidth, ws.deltaD, batch.w(), row0);
    }
    float[] delta = ws.deltaAF;
    float[] other = ws.deltaBF;
    for (int i = 0; i < n; i++) {
      delta[i] = (float) ws.deltaD[i];
    }
    for (int l = layers() - 1; l >= 0; l--) {
      int in = widths[l];
      int out = widths[l + 1];
      float[] src = l == 0 ? x : ws.actsF[l - 1];
      int srcOff = l == 0 ? xOff : 0;
      if (l == 0 && batch.sparse()) {
        SparseRows.addOuter(batch, row0, rows, delta, out, grad, wOff[0]);
      } else if (out == 1) {
        blas.sgemv("N", in, rows, 1.0f, src, srcOff, in, delta, 0, 1, 1.0f, grad, wOff[l], 1);
      } else {
        blas.sgemm("N", "T", out, in, rows, 1.0f, delta, 0, out, src, srcOff, in, 1.0f, grad, wOff[l], out);
      }
      blas.sgemv("N", out, rows, 1.0f, delta, 0, out, ws.onesF, 0, 1, 1.0f, grad, bOff[l], 1);
      if (l > 0) {
        if (out == 1) {
          // One output column: delta_prev = delta w^T is an outer product, which a loop does without the
          // packing a K = 1 gemm pays (each product rounded once, as the gemm rounds it).
          outer(delta, rows, params, wOff[l], in, other);
        } else {
          blas.sgemm("T", "N", in, rows, out, 1.0f, params, wOff[l], out, delta, 0, out, 0.0f, other, 0, in);
        }
        activations[l - 1].multiplyDerivative(ws.actsF[l - 1], 0, other, 0, rows * in);
        float[] t = delta;
        delta = other;
        other = t;
      }
    }
    return lossSum;
  }

  /** {@code dst[r * width + j] = delta[r] * w[wOff + j]}: the rows x width outer product of two vectors. */
  private static void outer(float[] delta, int rows, float[] w, int wOff, int width, float[] dst) {
    for (int r = 0; r < rows; r++) {
      float d = delta[r];
      int o = r * width;
      for (int j = 0; j < width; j++) {
        dst[o + j] = d * w[wOff + j];
      }
    }
  }

  /** Writes {@code src[from, from + width)} into each of {@code rows} consecutive rows of {@code dst}. */
  private static void fillRows(double[] dst, int off, int rows, int width, double[] src, int from) {
    if (width == 1) {
      Arrays.fill(dst, off, off + rows, src[from]);
      return;
    }
    for (int r = 0; r < rows; r++) {
      System.arraycopy(src, from, dst, off + r * width, width);
    }
  }

  private static void fillRows(float[] dst, int off, int rows, int width, float[] src, int from) {
    if (width == 1) {
      Arrays.fill(dst, off, off + rows, src[from]);
      return;
    }
    for (int r = 0; r < rows; r++) {
      System.arraycopy(src, from, dst, off + r * width, width);
    }
  }

  private void checkParams(int length) {
    if (length < numParams) {
      throw new IllegalArgumentException("parameter array holds " + length + " values, model has "
          + numParams);
    }
  }

  /** The batch fits this model: its width, and float64 / float32 values for the double / float kernels. */
  private void checkBatch(Batch batch, Precision kernel) {
    if (batch.cols() != inputs) {
      throw new IllegalArgumentException("batch has " + batch.cols() + " features, model expects " + inputs);
    }
    if (kernel != precision || batch.precision() != precision) {
      throw new IllegalArgumentException("a " + precision + " model was given " + batch.precision()
          + " rows for its " + kernel + " kernel");
    }
    if (batch.sparse()) {
      if (batch.rowStart().length < batch.offset() + batch.rows() + 1) {
        throw new IllegalArgumentException("row starts too short for the batch");
      }
      return;
    }
    int length = batch.x() != null ? batch.x().length : batch.xf().length;
    if (length < (long) (batch.offset() + batch.rows()) * inputs) {
      throw new IllegalArgumentException("feature array too short for the batch");
    }
  }

  private MlpWorkspace workspace(Workspace w) {
    // widths[0] (the inputs) sizes no scratch array, so a model over fewer features (overFeatures) shares it
    if (w instanceof MlpWorkspace m && Arrays.equals(m.widths, 1, m.widths.length, widths, 1, widths.length)
        && m.precision == precision) {
      return m;
    }
    throw new IllegalArgumentException("workspace was not made by this model's newWorkspace()");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Mlp m && inputs == m.inputs && outputs == m.outputs && Arrays.equals(hidden, m.hidden)
        && Arrays.equals(activations, m.activations) && initializer == m.initializer && precision == m.precision;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(widths) * 31 + Arrays.hashCode(activations) * 7 + initializer.hashCode()
        + precision.ordinal();
  }

  /** E.g. {@code Mlp(13 -> 64 relu -> 64 relu -> 1, glorot-uniform, 5121 params)}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(isLinear() ? "Linear(" : "Mlp(").append(inputs);
    for (int l = 0; l < hidden.length; l++) {
      sb.append(" -> ").append(hidden[l]).append(' ').append(activations[l].configName());
    }
    return sb.append(" -> ").append(outputs).append(", ").append(initializer.configName()).append(", ")
        .append(numParams).append(" params").append(precision == Precision.FLOAT32 ? ", float32)" : ")").toString();
  }

  /**
   * Activations and two ping-pong delta buffers for up to maxRows rows, at the model's precision; one per
   * thread. A float32 workspace also holds double logits and deltas for the loss.
   */
  static final class MlpWorkspace implements Workspace {
    private static final double[] NO_DOUBLES = new double[0];
    private static final float[] NO_FLOATS = new float[0];
    final int maxRows;
    final int[] widths;
    final Precision precision;
    /** Outputs of hidden layer l (after the activation), rows x widths[l + 1] row-major. */
    final double[][] acts;
    final double[] z;
    final double[] deltaA;
    final double[] deltaB;
    final double[] ones;
    final float[][] actsF;
    final float[] zF;
    final float[] deltaAF;
    final float[] deltaBF;
    final float[] onesF;
    /** float32: the logits widened for the loss, and the loss's delta before narrowing. */
    final double[] zD;
    final double[] deltaD;

    MlpWorkspace(int maxRows, int[] widths, Precision precision) {
      if (maxRows < 1) {
        throw new IllegalArgumentException("workspace maxRows must be >= 1, got " + maxRows);
      }
      this.maxRows = maxRows;
      this.widths = widths.clone();
      this.precision = precision;
      int layers = widths.length - 1;
      int maxWidth = widths[layers];
      for (int l = 0; l < layers - 1; l++) {
        maxWidth = Math.max(maxWidth, widths[l + 1]);
      }
      int outRows = Math.multiplyExact(maxRows, widths[layers]);
      int deltaSize = Math.multiplyExact(maxRows, maxWidth);
      // Only needed for hidden-layer deltas: the linear model never swaps buffers.
      int otherSize = layers > 1 ? deltaSize : 0;
      boolean f32 = precision == Precision.FLOAT32;
      acts = new double[f32 ? 0 : layers - 1][];
      actsF = new float[f32 ? layers - 1 : 0][];
      for (int l = 0; l < layers - 1; l++) {
        int size = Math.multiplyExact(maxRows, widths[l + 1]);
        if (f32) {
          actsF[l] = new float[size];
        } else {
          acts[l] = new double[size];
        }
      }
      z = f32 ? NO_DOUBLES : new double[outRows];
      deltaA = f32 ? NO_DOUBLES : new double[deltaSize];
      deltaB = f32 ? NO_DOUBLES : new double[otherSize];
      ones = f32 ? NO_DOUBLES : new double[maxRows];
      Arrays.fill(ones, 1.0);
      zF = f32 ? new float[outRows] : NO_FLOATS;
      deltaAF = f32 ? new float[deltaSize] : NO_FLOATS;
      deltaBF = f32 ? new float[otherSize] : NO_FLOATS;
      onesF = f32 ? new float[maxRows] : NO_FLOATS;
      Arrays.fill(onesF, 1.0f);
      zD = f32 ? new double[outRows] : NO_DOUBLES;
      deltaD = f32 ? new double[outRows] : NO_DOUBLES;
    }

    @Override
    public int maxRows() {
      return maxRows;
    }
  }
}
