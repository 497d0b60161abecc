package sparksgd.engine;

import java.io.Serializable;
import sparksgd.data.Block;
import sparksgd.data.EpochPlan;
import sparksgd.data.PartitionData;
import sparksgd.data.Split;
import sparksgd.model.Batch;
import sparksgd.model.Loss;
import sparksgd.model.Model;
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
  private final long trainRows;
  private final int chunkRows;
  private final double labelShift;
  private final double labelScale;
  private transient Workspace ws;
  private transient double[] xBuf;
  private transient double[] yBuf;
  private transient double[] zBuf;

  public PartitionWorker(Model model, Loss loss, int batchSize, long seed, long trainRows, int chunkRows,
      double labelShift, double labelScale) {
    this.model = model;
    this.loss = loss;
    this.batchSize = batchSize;
    this.seed = seed;
    this.trainRows = trainRows;
    this.chunkRows = chunkRows;
    this.labelShift = labelShift;
    this.labelScale = labelScale;
  }

  public int resultWidth() {
    return model.numParams() + 2;
  }

  private void ensureBuffers() {
    if (ws == null) {
      ws = model.newWorkspace(chunkRows);
      xBuf = new double[chunkRows * model.inputs()];
      yBuf = new double[chunkRows];
      zBuf = new double[chunkRows * model.outputs()];
    }
  }

  /** {@code [gradient sum..., loss sum, rows]} over this partition's share of the step. */
  public double[] step(PartitionData data, int epoch, int step, double[] params) {
    ensureBuffers();
    int p = model.numParams();
    double[] out = new double[p + 2];
    EpochPlan plan = data.plan(trainRows, batchSize, seed, epoch);
    Block[] blocks = data.blocks(Split.TRAIN);
    double lossSum = 0;
    long rows = 0;
    if (plan.singleStep()) {
      // Full batch: every row, straight from the cached blocks, no gathering.
      for (Block b : blocks) {
        lossSum += model.addGradient(params, b.asBatch(), loss, out, ws);
        rows += b.rows;
      }
    } else {
      int n = plan.rowsInStep(step);
      int d = model.inputs();
      for (int from = 0; from < n; from += chunkRows) {
        int count = Math.min(chunkRows, n - from);
        plan.gather(blocks, step, from, count, xBuf, yBuf);
        lossSum += model.addGradient(params, new Batch(xBuf, yBuf, 0, count, d, 1), loss, out, ws);
        rows += count;
      }
    }
    out[p] = lossSum;
    out[p + 1] = rows;
    return out;
  }

  /** {@link RegressionMetrics} sums of one split of this partition. */
  public double[] evaluate(PartitionData data, Split split, double[] params) {
    ensureBuffers();
    double[] acc = new double[RegressionMetrics.WIDTH];
    int k = model.outputs();
    for (Block b : data.blocks(split)) {
      for (int from = 0; from < b.rows; from += chunkRows) {
        int count = Math.min(chunkRows, b.rows - from);
        Batch batch = new Batch(b.x, b.y, from, count, b.cols, 1);
        model.forward(params, batch, zBuf, ws);
        for (int r = 0; r < count; r++) {
          double rowLoss = loss.loss(zBuf, r * k, b.y, from + r, 1, k, 1);
          double prediction = zBuf[r * k] * labelScale + labelShift;
          double label = b.y[from + r] * labelScale + labelShift;
          RegressionMetrics.add(acc, prediction, label, rowLoss);
        }
      }
    }
    return acc;
  }
}
