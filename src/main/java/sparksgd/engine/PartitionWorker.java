package sparksgd.engine;

import java.io.Serializable;
import sparksgd.data.Block;
import sparksgd.data.EpochPlan;
import sparksgd.data.PartitionData;
import sparksgd.data.RowView;
import sparksgd.data.Split;
import sparksgd.model.Batch;
import sparksgd.model.ClassificationMetrics;
import sparksgd.model.Loss;
import sparksgd.model.Metrics;
import sparksgd.model.Model;
import sparksgd.model.Precision;
import sparksgd.model.RegressionMetrics;
import sparksgd.model.Workspace;

/**
 * The task-side arithmetic every engine shares: one partition's gradient sum for a step, and its
 * metric sums for an evaluation. Knows nothing of transport. Results are flat arrays so any engine
 * can ship them: a step returns {@code [gradient..., lossSum, rows]}.
 */
public final class PartitionWorker implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Model model;
  private final Loss loss;
  private final int batchSize;
  private final long seed;
  private final RowView view;
  private final int chunkRows;
  private final double labelShift;
  private final double labelScale;
  private final Metrics metrics;
  private final double[] shift; // per column (features then label) when rows are cached raw, else null
  private final double[] scale;
  private transient Workspace ws;
  private transient double[] xBuf;
  private transient double[] yBuf;
  private transient double[] wBuf; // sample weights of the gathered rows (data.weight)
  private transient double[] zBuf;
  // float32 models: rows, parameters, gradient and outputs in float.
  private transient float[] xfBuf;
  private transient float[] pF;
  private transient float[] gF;
  private transient float[] zF;
  private transient sparksgd.data.CsrBuffer csr;
  // stepPart: a gradient buffer kept between steps (cleared only where written) and the step's features.
  private transient double[] sparseGrad;
  private transient boolean gradClean; // sparseGrad (float64) or gF (float32) is all zeros
  private transient int[] featureSeen;
  private transient int featureStamp;
  private transient int[] features;
  private transient int[] touched;
  private transient int stepFeatures; // distinct features of the sparse step so far
  private final double[] stepSums = new double[2]; // the sparse step's loss sum and rows (or weight sum)
  /**
   * A sparse step's share is gathered whole when its rows hold about this many nonzeros at most (48 MB of
   * gathered indices and values in float64: 65,536 rows of 64 nonzeros); a larger share is summed chunk by
   * chunk as before, so a big batch of long rows never needs a copy of itself.
   */
  static final long SUBSET_MAX_NONZEROS = 1L << 22;
  private long subsetMaxNonzeros = SUBSET_MAX_NONZEROS;
  private transient FeatureSubsetStep subsetStep;
  private transient double[] stepWeights; // sample weights of a step's gathered rows (subsetPart)

  /**
   * What every worker is set up with: the model and loss, the global batch plan (batch size, seed, the
   * training rows it draws from) and how many rows it gathers at a time.
   */
  public record Setup(Model model, Loss loss, int batchSize, long seed, RowView view, int chunkRows)
      implements Serializable {}

  /** A worker over rows cached already normalized; every training row is used. */
  public PartitionWorker(Model model, Loss loss, int batchSize, long seed, long trainRows, int chunkRows,
      double labelShift, double labelScale) {
    this(new Setup(model, loss, batchSize, seed, RowView.all(trainRows), chunkRows), labelShift, labelScale);
  }

  /** A worker over rows cached already normalized; {@code labelShift}/{@code labelScale} give label units back. */
  public PartitionWorker(Setup setup, double labelShift, double labelScale) {
    this(setup, labelShift, labelScale, null, null);
  }

  /**
   * A worker over rows cached raw, normalized on the fly with {@code shift}/{@code scale} (features then
   * label), training on the rows of the setup's view (e.g. all folds but one).
   */
  public static PartitionWorker normalizing(Setup setup, double[] shift, double[] scale) {
    int d = setup.model().inputs();
    return new PartitionWorker(setup, shift[d], scale[d], shift.clone(), scale.clone());
  }

  private PartitionWorker(Setup setup, double labelShift, double labelScale, double[] shift, double[] scale) {
    this.model = setup.model();
    this.loss = setup.loss();
    this.batchSize = setup.batchSize();
    this.seed = setup.seed();
    this.view = setup.view();
    this.chunkRows = setup.chunkRows();
    this.labelShift = labelShift;
    this.labelScale = labelScale;
    this.shift = shift;
    this.scale = scale;
    this.metrics = loss.name().equals("mse") ? new RegressionMetrics(labelShift, labelScale)
        : new ClassificationMetrics(model.outputs() == 1 ? 2 : model.outputs());
  }

  /** How this worker's evaluations are summed and finished. */
  public Metrics metrics() {
    return metrics;
  }

  /** Normalizes {@code count} gathered rows in place when rows are cached raw. */
  private void normalize(int count) {
    if (shift == null) {
      return;
    }
    int d = model.inputs();
    for (int r = 0; r < count; r++) {
      for (int j = 0; j < d; j++) {
        xBuf[r * d + j] = (xBuf[r * d + j] - shift[j]) / scale[j];
      }
      yBuf[r] = (yBuf[r] - shift[d]) / scale[d];
    }
  }

  public int resultWidth() {
    return model.numParams() + 2;
  }

  private void ensureBuffers() {
    if (ws == null) {
      ws = model.newWorkspace(chunkRows);
      yBuf = new double[chunkRows];
      wBuf = new double[chunkRows];
      zBuf = new double[chunkRows * model.outputs()];
      if (float32()) {
        pF = new float[model.numParams()];
        gF = new float[model.numParams()];
        zF = new float[chunkRows * model.outputs()];
      }
    }
  }

  /** Dense gather buffers, made on first use: sparse data never needs chunkRows x features of them. */
  private void ensureDense() {
    if (xBuf == null) {
      xBuf = new double[chunkRows * model.inputs()];
      if (float32()) {
        xfBuf = new float[chunkRows * model.inputs()];
      }
    }
  }

  /**
   * Step {@code step}'s sparse rows {@code [from, from + count)} gathered into the CSR buffer; raw rows are
   * normalized there (in double, then rounded for a float32 model, as the loader's blocks are).
   */
  private Batch gatheredSparse(EpochPlan plan, Block[] blocks, int step, int from, int count) {
    if (csr == null) {
      csr = new sparksgd.data.CsrBuffer();
    }
    csr.clear(blocks[0].xf != null);
    plan.gather(blocks, step, from, count, csr);
    if (shift != null || (float32() && blocks[0].xf == null)) {
      csr.normalize(shift, scale, model.inputs(), float32());
    }
    return csr.batch(model.inputs());
  }

  /** Tests: gather a sparse step whole only up to {@code nonzeros} (0: always chunk by chunk). */
  PartitionWorker subsetLimit(long nonzeros) {
    subsetMaxNonzeros = nonzeros;
    return this;
  }

  /** Nonzeros a row in the first CSR block (the loader sizes every block by it). */
  private static double meanNonzeros(Block[] blocks) {
    Block b = blocks[0];
    return b.rows == 0 ? 0 : (double) b.rowStart[b.rows] / b.rows;
  }

  private static boolean sparse(Block[] blocks) {
    return blocks.length > 0 && blocks[0].sparse();
  }

  /** True when this worker's model computes in float32. */
  public boolean float32() {
    return model.precision() == Precision.FLOAT32;
  }

  /** The first {@code count} gathered rows of xBuf/yBuf as a batch at the model's precision. */
  private Batch gathered(int count) {
    int d = model.inputs();
    if (float32()) {
      Precision.narrow(xBuf, xfBuf, count * d);
      return Batch.dense32(xfBuf, yBuf, 0, count, d, 1);
    }
    return new Batch(xBuf, yBuf, 0, count, d, 1);
  }

  /**
   * {@code [gradient sum..., loss sum, rows]} over this partition's share of the step. A float32 model
   * narrows the parameters once (the driver keeps them float-exact, so nothing is lost), reads rows and
   * sums the gradient over the chunks in float as sgemm adds it, the loss sum in double; the gradient is
   * widened to doubles exactly and the wire narrows it back losslessly.
   */
  public double[] step(PartitionData data, int epoch, int step, double[] params) {
    return stepInto(data, epoch, step, params, new double[model.numParams() + 2]);
  }

  /**
   * {@link #step} into {@code out} (length {@code numParams + 2}, overwritten), for an engine that calls
   * thousands of small steps in one JVM: a fresh 40 KB array per step of a Boston MLP is garbage that makes
   * the young generation grow into memory never touched before, and first touches cost this 2-core VM about
   * as much as the step (a Boston job's steps took 0.85 s allocating, 0.32 s with the heap pre-touched).
   */
  public double[] stepInto(PartitionData data, int epoch, int step, double[] params, double[] out) {
    ensureBuffers();
    int p = model.numParams();
    java.util.Arrays.fill(out, 0, p + 2, 0.0);
    if (float32()) {
      Precision.narrow(params, pF, p);
      java.util.Arrays.fill(gF, 0f);
      gradClean = false; // gF is left holding this step's gradient (stepPart clears it before it sums into it)
      accumulate(data, epoch, step, batch -> model.addGradient(pF, batch, loss, gF, ws), out);
      Precision.widen(gF, out, p);
    } else {
      accumulate(data, epoch, step, batch -> model.addGradient(params, batch, loss, out, ws), out);
    }
    return out;
  }

  /** Adds one batch's gradient at the model's precision and returns its loss sum. */
  private interface GradientSink {
    double add(Batch batch);
  }

  /**
   * Feeds this partition's rows of step {@code step} to {@code sink} and writes their loss sum and count
   * (or weight sum, for weighted rows) into the last two places of {@code out}.
   */
  private void accumulate(PartitionData data, int epoch, int step, GradientSink sink, double[] out) {
    EpochPlan plan = data.plan(view, batchSize, seed, epoch);
    Block[] blocks = data.blocks(Split.TRAIN);
    double lossSum = 0;
    long rows = 0;
    double weights = 0; // the rows' weight sum when they are weighted (data.weight)
    boolean inPlace = blocks.length == 0 || blocks[0].precision() == model.precision();
    if (plan.singleStep() && shift == null && view instanceof RowView.All && inPlace) {
      // Full batch: every row, straight from the cached blocks (dense or CSR), no gathering.
      for (Block b : blocks) {
        lossSum += sink.add(b.asBatch());
        rows += b.rows;
        weights += weightSum(b.w, 0, b.rows);
      }
    } else {
      int n = plan.rowsInStep(step);
      for (int from = 0; from < n; from += chunkRows) {
        int count = Math.min(chunkRows, n - from);
        Batch batch = gathered(plan, blocks, step, from, count);
        if (plan.gatherWeights(blocks, step, from, count, wBuf)) {
          batch = batch.weighted(wBuf);
          weights += weightSum(wBuf, 0, count);
        }
        lossSum += sink.add(batch);
        rows += count;
      }
    }
    out[out.length - 2] = lossSum;
    out[out.length - 1] = weighted(blocks) ? weights : rows;
  }

  /**
   * This partition's share of step {@code step} in the form it travels ({@link StepParts}): sparse when
   * the rows are sparse and the entries the step can touch (its features' rows of the first weight
   * matrix, and every parameter after it) are fewer than half the model, else {@link #step}'s dense array.
   * The gradient is accumulated exactly as {@link #step} accumulates it, so the values are the same bits.
   * {@code denseOut}: where a dense part goes ({@link #stepInto}), or null for a new array.
   */
  public double[] stepPart(PartitionData data, int epoch, int step, double[] params, double[] denseOut) {
    int width = model.sparseRowWidth();
    Block[] blocks = data.blocks(Split.TRAIN);
    EpochPlan plan = data.plan(view, batchSize, seed, epoch);
    boolean floatBlocks = blocks.length > 0 && blocks[0].xf != null;
    if (width == 0 || !sparse(blocks) || float32() != floatBlocks
        || (plan.singleStep() && shift == null && view instanceof RowView.All)) {
      // dense rows, or every row (which touches nearly every feature)
      return denseOut == null ? step(data, epoch, step, params) : stepInto(data, epoch, step, params, denseOut);
    }
    ensureBuffers();
    int n = plan.rowsInStep(step);
    if (n > 0 && n * meanNonzeros(blocks) <= subsetMaxNonzeros) {
      double[] part = subsetPart(plan, blocks, step, n, params);
      if (part != null) {
        return part;
      }
    }
    int p = model.numParams();
    boolean f32 = float32();
    startSparseStep(p, f32);
    if (f32) {
      Precision.narrow(params, pF, p);
    }
    int inputs = model.inputs();
    stepFeatures = 0;
    accumulate(data, epoch, step, batch -> {
      stepFeatures = addFeatures(batch, stepFeatures);
      return f32 ? model.addGradient(pF, batch, loss, gF, ws) : model.addGradient(params, batch, loss, sparseGrad, ws);
    }, stepSums);
    int nFeatures = stepFeatures;
    double[] out = packed(nFeatures, inputs * width, width, f32, stepSums[0], stepSums[1]);
    gradClean = true;
    return out;
  }

  /**
   * {@link #stepPart} over the step's rows gathered whole (up to {@link #SUBSET_MAX_NONZEROS}) and computed on
   * the rows of W1 their features select ({@link FeatureSubsetStep}); the model still works through them in
   * chunks of {@code chunkRows}, the workspace's size, so every sum is made as the chunked step makes it.
   * Null when the rows have no nonzero (the general path below then gives the bias-only part).
   */
  private double[] subsetPart(EpochPlan plan, Block[] blocks, int step, int n, double[] params) {
    Batch batch = gatheredSparse(plan, blocks, step, 0, n);
    double rowsOrWeights = n;
    if (weighted(blocks)) {
      if (stepWeights == null || stepWeights.length < n) {
        stepWeights = new double[Math.max(n, chunkRows)];
      }
      plan.gatherWeights(blocks, step, 0, n, stepWeights);
      double weights = 0;
      for (int from = 0; from < n; from += chunkRows) { // chunk by chunk, as accumulate() sums them
        weights += weightSum(stepWeights, from, Math.min(chunkRows, n - from));
      }
      batch = batch.weighted(stepWeights);
      rowsOrWeights = weights;
    }
    if (subsetStep == null) {
      subsetStep = new FeatureSubsetStep(model, float32());
    }
    return subsetStep.part(batch, params, loss, ws, rowsOrWeights);
  }

  /** Zeroed gradient buffers (after a step that failed half-way) and a fresh feature stamp for a sparse step. */
  private void startSparseStep(int p, boolean f32) {
    if (sparseGrad == null && !f32) {
      sparseGrad = new double[p];
      gradClean = true;
    }
    if (!gradClean) { // an earlier step failed half-way
      if (f32) {
        java.util.Arrays.fill(gF, 0f);
      } else {
        java.util.Arrays.fill(sparseGrad, 0.0);
      }
    }
    gradClean = false;
    if (featureSeen == null) {
      featureSeen = new int[model.inputs()];
    }
    if (++featureStamp == 0) {
      java.util.Arrays.fill(featureSeen, 0);
      featureStamp = 1;
    }
  }

  /**
   * The step's gradient buffer as the part that travels (sparse when smaller), the buffer cleared again where
   * it was written.
   */
  private double[] packed(int nFeatures, int firstLayer, int width, boolean f32, double lossSum, double rowCount) {
    int p = model.numParams();
    long k = (long) nFeatures * width + (p - firstLayer);
    double[] out;
    if (StepParts.sparseIsSmaller(k, p)) {
      int t = touchedEntries(nFeatures, width, firstLayer, p);
      out = f32 ? StepParts.sparse(touched, t, gF, lossSum, rowCount)
          : StepParts.sparse(touched, t, sparseGrad, lossSum, rowCount);
      for (int j = 0; j < t; j++) {
        if (f32) {
          gF[touched[j]] = 0f;
        } else {
          sparseGrad[touched[j]] = 0.0;
        }
      }
    } else {
      out = new double[p + 2];
      if (f32) {
        Precision.widen(gF, out, p);
        java.util.Arrays.fill(gF, 0f);
      } else {
        System.arraycopy(sparseGrad, 0, out, 0, p);
        java.util.Arrays.fill(sparseGrad, 0.0);
      }
      out[p] = lossSum;
      out[p + 1] = rowCount;
    }
    return out;
  }

  /** Appends the batch's features not seen yet in this step to {@code features[n..]}; returns the new n. */
  private int addFeatures(Batch batch, int n) {
    int[] col = batch.col();
    int end = batch.rowStart()[batch.offset() + batch.rows()];
    for (int i = batch.rowStart()[batch.offset()]; i < end; i++) {
      int c = col[i];
      if (featureSeen[c] != featureStamp) {
        featureSeen[c] = featureStamp;
        if (features == null || n == features.length) {
          features = features == null ? new int[1024] : java.util.Arrays.copyOf(features, 2 * n);
        }
        features[n++] = c;
      }
    }
    return n;
  }

  /** The parameter indices the step touched, into {@code touched}: its features' rows of W1, then the rest. */
  private int touchedEntries(int nFeatures, int width, int firstLayer, int p) {
    touched = StepParts.touchedParams(features, nFeatures, width, firstLayer, p, touched);
    return nFeatures * width + (p - firstLayer);
  }

  /**
   * Step {@code step}'s rows {@code [from, from + count)} as a batch at the model's precision: float32 blocks
   * as they are, float64 rows normalized when cached raw (then rounded for a float32 model), CSR rows sparse.
   */
  private Batch gathered(EpochPlan plan, Block[] blocks, int step, int from, int count) {
    if (sparse(blocks)) {
      return gatheredSparse(plan, blocks, step, from, count);
    }
    ensureDense();
    if (blocks[0].xf != null) {
      plan.gather(blocks, step, from, count, xfBuf, yBuf);
      return Batch.dense32(xfBuf, yBuf, 0, count, model.inputs(), 1);
    }
    plan.gather(blocks, step, from, count, xBuf, yBuf);
    normalize(count);
    return gathered(count);
  }

  /**
   * {@link Metrics} sums of one split of this partition. For a view that holds rows out
   * (a CV fold), VALIDATION means the held-out training rows.
   */
  public double[] evaluate(PartitionData data, Split split, double[] params) {
    ensureBuffers();
    double[] acc = new double[metrics.width()];
    if (float32()) {
      Precision.narrow(params, pF, model.numParams());
    }
    boolean heldOut = split == Split.VALIDATION && !(view instanceof RowView.All);
    Block[] blocks = data.blocks(heldOut ? Split.TRAIN : split);
    boolean inPlace = blocks.length == 0 || blocks[0].precision() == model.precision();
    if (!heldOut && shift == null && inPlace) {
      for (Block b : blocks) { // in place, no copies
        for (int from = 0; from < b.rows; from += chunkRows) {
          int count = Math.min(chunkRows, b.rows - from);
          score(params, new Batch(b.x, b.xf, b.rowStart, b.col, b.y, from, count, b.cols, 1, b.w), acc);
        }
      }
      return acc;
    }
    if (sparse(blocks)) {
      return evaluateSparse(blocks, heldOut, params, acc);
    }
    ensureDense();
    int d = model.inputs();
    int count = 0;
    for (Block b : blocks) {
      for (int r = 0; r < b.rows; r++) {
        if (heldOut && !view.holdsOut(b.firstId + r)) {
          continue;
        }
        b.rowInto(r, xBuf, count * d);
        wBuf[count] = b.w == null ? 1 : b.w[r];
        yBuf[count++] = b.y[r];
        if (count == chunkRows) {
          normalize(count);
          score(params, weightedIf(gathered(count), blocks), acc);
          count = 0;
        }
      }
    }
    if (count > 0) {
      normalize(count);
      score(params, weightedIf(gathered(count), blocks), acc);
    }
    return acc;
  }

  /** {@link #evaluate} over CSR rows gathered chunk by chunk: a fold's held-out rows, or rows cached raw. */
  private double[] evaluateSparse(Block[] blocks, boolean heldOut, double[] params, double[] acc) {
    if (csr == null) {
      csr = new sparksgd.data.CsrBuffer();
    }
    csr.clear(blocks[0].xf != null);
    int count = 0;
    for (Block b : blocks) {
      for (int r = 0; r < b.rows; r++) {
        if (heldOut && !view.holdsOut(b.firstId + r)) {
          continue;
        }
        csr.add(b, r);
        wBuf[count] = b.w == null ? 1 : b.w[r];
        if (++count == chunkRows) {
          scoreGatheredSparse(params, blocks, acc);
          count = 0;
        }
      }
    }
    if (count > 0) {
      scoreGatheredSparse(params, blocks, acc);
    }
    return acc;
  }

  private void scoreGatheredSparse(double[] params, Block[] blocks, double[] acc) {
    csr.normalize(shift, scale, model.inputs(), float32());
    score(params, weightedIf(csr.batch(model.inputs()), blocks), acc);
    csr.clear(blocks[0].xf != null);
  }

  private void score(double[] params, Batch batch, double[] acc) {
    int k = model.outputs();
    if (float32()) {
      // Outputs widened to double: losses and metric sums are accumulated in double (see Metrics).
      model.forward(pF, batch, zF, ws);
      Precision.widen(zF, zBuf, batch.rows() * k);
    } else {
      model.forward(params, batch, zBuf, ws);
    }
    double[] w = batch.w();
    for (int r = 0; r < batch.rows(); r++) {
      int yi = batch.offset() + r;
      double rowLoss = loss.loss(zBuf, r * k, batch.y(), yi, 1, k, 1);
      if (w == null) {
        metrics.add(acc, zBuf, r * k, k, batch.y()[yi], rowLoss);
      } else {
        metrics.add(acc, zBuf, r * k, k, batch.y()[yi], rowLoss, w[yi]);
      }
    }
  }

  private static boolean weighted(Block[] blocks) {
    return blocks.length > 0 && blocks[0].w != null;
  }

  /** The gathered batch with the gathered weights when the blocks are weighted. */
  private Batch weightedIf(Batch batch, Block[] blocks) {
    return weighted(blocks) ? batch.weighted(wBuf) : batch;
  }

  private static double weightSum(double[] w, int from, int count) {
    double s = 0;
    if (w != null) {
      for (int i = from; i < from + count; i++) {
        s += w[i];
      }
    }
    return s;
  }
}
