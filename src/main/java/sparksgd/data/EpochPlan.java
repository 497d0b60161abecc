package sparksgd.data;

/**
 * One partition's share of every global mini-batch of an epoch. The epoch's global order is an
 * {@link EpochPermutation} of the training ids; step {@code s} takes the rows at global positions
 * {@code [s*B, (s+1)*B)}, so the batches are the same however the rows are partitioned, and each
 * partition's share is proportional to its size in expectation.
 */
public final class EpochPlan {
  final int epoch;
  final int batchSize;
  final long seed;
  final String viewKey;
  private final int blockRows;
  private final int steps;
  private final int[] stepStart; // rows of step s: order[stepStart[s] .. stepStart[s+1])
  private final int[] order; // local row indices (block * blockRows + row)

  private EpochPlan(int epoch, int batchSize, long seed, String viewKey, int blockRows, int steps, int[] stepStart,
      int[] order) {
    this.epoch = epoch;
    this.viewKey = viewKey;
    this.batchSize = batchSize;
    this.seed = seed;
    this.blockRows = blockRows;
    this.steps = steps;
    this.stepStart = stepStart;
    this.order = order;
  }

  public static int stepsPerEpoch(long totalRows, int batchSize) {
    long s = (totalRows + batchSize - 1) / batchSize;
    if (s > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("too many steps per epoch");
    }
    return (int) s;
  }

  static EpochPlan build(Block[] blocks, int blockRows, long totalRows, int batchSize, long seed, int epoch) {
    return build(blocks, blockRows, RowView.all(totalRows), batchSize, seed, epoch);
  }

  static EpochPlan build(Block[] blocks, int blockRows, RowView view, int batchSize, long seed, int epoch) {
    long totalRows = view.trainRows();
    int steps = stepsPerEpoch(totalRows, batchSize);
    int local = 0;
    for (Block b : blocks) {
      local += b.rows;
    }
    int[] stepOf = new int[local];
    int[] stepStart = new int[steps + 1];
    EpochPermutation perm = steps > 1 ? new EpochPermutation(totalRows, seed, epoch) : null;
    int l = 0;
    for (Block b : blocks) {
      for (int r = 0; r < b.rows; r++, l++) {
        long id = view.trainId(b.firstId + r);
        if (id < 0) {
          stepOf[l] = -1; // not a training row of this view
          continue;
        }
        int s = perm == null ? 0 : (int) (perm.position(id) / batchSize);
        stepOf[l] = s;
        stepStart[s + 1]++;
      }
    }
    for (int s = 0; s < steps; s++) {
      stepStart[s + 1] += stepStart[s];
    }
    // Counting sort by step; within a step rows keep their local order (deterministic).
    int[] fill = java.util.Arrays.copyOf(stepStart, steps);
    int[] order = new int[stepStart[steps]];
    l = 0;
    for (int bi = 0; bi < blocks.length; bi++) {
      for (int r = 0; r < blocks[bi].rows; r++, l++) {
        if (stepOf[l] >= 0) {
          order[fill[stepOf[l]]++] = bi * blockRows + r;
        }
      }
    }
    return new EpochPlan(epoch, batchSize, seed, view.key(), blockRows, steps, stepStart, order);
  }

  public int steps() {
    return steps;
  }

  /** Number of this partition's rows in step {@code s}. */
  public int rowsInStep(int s) {
    return stepStart[s + 1] - stepStart[s];
  }

  /**
   * Copies rows {@code [from, from + count)} of step {@code s}'s share into {@code x}/{@code y}
   * (row-major, starting at 0).
   */
  public void gather(Block[] blocks, int s, int from, int count, double[] x, double[] y) {
    gatherDense(blocks, s, from, count, x, y);
  }

  /** {@link #gather(Block[], int, int, int, double[], double[])} from dense float32 blocks. */
  public void gather(Block[] blocks, int s, int from, int count, float[] x, double[] y) {
    gatherDense(blocks, s, from, count, x, y);
  }

  /** Both dense gathers: {@code x} is a double[] (float64 blocks) or a float[] (float32 blocks). */
  private void gatherDense(Block[] blocks, int s, int from, int count, Object x, double[] y) {
    boolean f32 = x instanceof float[];
    int base = stepStart[s] + from;
    for (int i = 0; i < count; i++) {
      int ref = order[base + i];
      Block b = blocks[ref / blockRows];
      int r = ref % blockRows;
      System.arraycopy(f32 ? b.xf : b.x, r * b.cols, x, i * b.cols, b.cols);
      y[i] = b.y[r];
    }
  }

  /**
   * The sample weights of the rows {@link #gather} copies, into {@code w} from 0; false (nothing written)
   * when the blocks are unweighted.
   */
  public boolean gatherWeights(Block[] blocks, int s, int from, int count, double[] w) {
    if (blocks.length == 0 || blocks[0].w == null) {
      return false;
    }
    int base = stepStart[s] + from;
    for (int i = 0; i < count; i++) {
      int ref = order[base + i];
      w[i] = blocks[ref / blockRows].w[ref % blockRows];
    }
    return true;
  }

  /** Appends rows {@code [from, from + count)} of step {@code s}'s share of CSR blocks to {@code buf}. */
  public void gather(Block[] blocks, int s, int from, int count, CsrBuffer buf) {
    int base = stepStart[s] + from;
    for (int i = 0; i < count; i++) {
      int ref = order[base + i];
      buf.add(blocks[ref / blockRows], ref % blockRows);
    }
  }

  /** True when one step covers every row (full-batch): with an all-rows view, blocks can be used in place. */
  public boolean singleStep() {
    return steps == 1;
  }
}
