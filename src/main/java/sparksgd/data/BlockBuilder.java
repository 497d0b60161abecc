package sparksgd.data;

import java.util.BitSet;
import java.util.Iterator;
import scala.Tuple2;

/**
 * Packs one partition's (split, id) rows into dense blocks of at most {@code blockRows}. Every row's
 * place follows from its id (a partition holds a contiguous id range), so rows may arrive in any
 * order: no sort, and nothing held but the blocks themselves.
 */
final class BlockBuilder {
  private BlockBuilder() {}

  /** The partition's rows, raw, in id order within each split; fails if a row is missing or repeated. */
  static PartitionData place(int p, int partitions, long[] splitRows, int d, int blockRows,
      Iterator<Tuple2<Long, double[]>> rows) {
    return place(p, partitions, splitRows, d, blockRows, rows, false);
  }

  /** The first id of each split's rows (by split ordinal) that partition {@code p} holds; 0 for an empty split. */
  private static long[] firstIds(int p, int partitions, long[] splitRows) {
    long[] first = new long[3];
    for (int s = 0; s < 3; s++) {
      first[s] = splitRows[s] == 0 ? 0 : SplitRangePartitioner.firstId(p, partitions, splitRows[s]);
    }
    return first;
  }

  /**
   * As above; {@code weighted}: rows are {@code [features..., weight, label]} ({@code data.weight}) and the
   * blocks carry the weights.
   */
  static PartitionData place(int p, int partitions, long[] splitRows, int d, int blockRows,
      Iterator<Tuple2<Long, double[]>> rows, boolean weighted) {
    Block[][] blocks = new Block[3][];
    long[] first = firstIds(p, partitions, splitRows);
    long[] end = firstIds(p + 1, partitions, splitRows);
    int[] counts = new int[3];
    BitSet[] seen = new BitSet[3];
    for (Split split : Split.values()) {
      int s = split.ordinal();
      int count = (int) (end[s] - first[s]);
      counts[s] = count;
      seen[s] = new BitSet(count);
      int nBlocks = (count + blockRows - 1) / blockRows;
      blocks[s] = new Block[nBlocks];
      for (int b = 0; b < nBlocks; b++) {
        int r = Math.min(blockRows, count - b * blockRows);
        Block block = new Block(new double[r * d], new double[r], r, d, first[s] + (long) b * blockRows);
        blocks[s][b] = weighted ? block.withWeights(new double[r]) : block;
      }
    }
    while (rows.hasNext()) {
      Tuple2<Long, double[]> t = rows.next();
      int s = SplitRangePartitioner.split(t._1()).ordinal();
      long index = SplitRangePartitioner.id(t._1()) - first[s];
      Block[] bs = blocks[s];
      int b = (int) (index / blockRows);
      if (index < 0 || b >= bs.length || seen[s].get((int) index)) {
        throw new IllegalStateException("partition " + p + " got row " + SplitRangePartitioner.id(t._1()) + " of "
            + Split.values()[s] + " twice or out of its range");
      }
      seen[s].set((int) index);
      int r = (int) (index % blockRows);
      double[] v = t._2();
      System.arraycopy(v, 0, bs[b].x, r * d, d);
      if (weighted) {
        bs[b].w[r] = v[d];
      }
      bs[b].y[r] = v[v.length - 1];
    }
    for (Split split : Split.values()) {
      int s = split.ordinal();
      if (seen[s].cardinality() != counts[s]) {
        throw new IllegalStateException("partition " + p + " misses row " + (first[s] + seen[s].nextClearBit(0))
            + " of " + split);
      }
    }
    return new PartitionData(p, blockRows, blocks);
  }

  /**
   * The partition's sparse rows ({@code [c0, v0, c1, v1, ..., label]}) as CSR blocks of raw float64 values,
   * in id order; fails if a row is missing or repeated. Rows arrive in any order, so each block is built
   * once the partition's rows are all in.
   */
  static PartitionData placeSparse(int p, int partitions, long[] splitRows, int d, int blockRows,
      Iterator<Tuple2<Long, double[]>> rows) {
    double[][][] pending = new double[3][][];
    long[] first = firstIds(p, partitions, splitRows);
    long[] end = firstIds(p + 1, partitions, splitRows);
    for (int s = 0; s < 3; s++) {
      pending[s] = new double[(int) (end[s] - first[s])][];
    }
    while (rows.hasNext()) {
      Tuple2<Long, double[]> t = rows.next();
      int s = SplitRangePartitioner.split(t._1()).ordinal();
      long index = SplitRangePartitioner.id(t._1()) - first[s];
      if (index < 0 || index >= pending[s].length || pending[s][(int) index] != null) {
        throw new IllegalStateException("partition " + p + " got row " + SplitRangePartitioner.id(t._1()) + " of "
            + Split.values()[s] + " twice or out of its range");
      }
      pending[s][(int) index] = t._2();
    }
    Block[][] blocks = new Block[3][];
    for (Split split : Split.values()) {
      int s = split.ordinal();
      double[][] all = pending[s];
      int nBlocks = (all.length + blockRows - 1) / blockRows;
      blocks[s] = new Block[nBlocks];
      for (int b = 0; b < nBlocks; b++) {
        int r0 = b * blockRows;
        int r = Math.min(blockRows, all.length - r0);
        int[] start = new int[r + 1];
        for (int i = 0; i < r; i++) {
          double[] v = all[r0 + i];
          if (v == null) {
            throw new IllegalStateException("partition " + p + " misses row " + (first[s] + r0 + i) + " of " + split);
          }
          start[i + 1] = start[i] + v.length / 2;
        }
        int[] col = new int[start[r]];
        double[] val = new double[start[r]];
        double[] y = new double[r];
        for (int i = 0; i < r; i++) {
          double[] v = all[r0 + i];
          int nnz = v.length / 2;
          for (int k = 0; k < nnz; k++) {
            col[start[i] + k] = (int) v[2 * k];
            val[start[i] + k] = v[2 * k + 1];
          }
          y[i] = v[v.length - 1];
          all[r0 + i] = null; // let the row go as soon as it is packed
        }
        blocks[s][b] = Block.csr(start, col, val, null, y, r, d, first[s] + r0);
      }
    }
    return new PartitionData(p, blockRows, blocks);
  }

  /**
   * A normalized copy (the raw blocks may be cached and read again), at {@code precision}: values are
   * normalized in double and then rounded, so float32 blocks hold the nearest floats of the float64 ones.
   * Dense float32 blocks join {@code group} consecutive raw blocks of a split, so that they hold
   * as many bytes as the float64 blocks would (the plan addresses rows as {@code block * blockRows + row},
   * which stays true: every block but a split's last is full). Sparse blocks are never joined.
   */
  static PartitionData normalized(PartitionData raw, FeatureStats stats, sparksgd.model.Precision precision,
      int group) {
    boolean f32 = precision == sparksgd.model.Precision.FLOAT32;
    boolean sparse = false;
    for (Split split : Split.values()) {
      for (Block b : raw.blocks(split)) {
        sparse |= b.sparse();
      }
    }
    int g = f32 && !sparse ? Math.max(1, group) : 1;
    Block[][] out = new Block[3][];
    for (Split split : Split.values()) {
      Block[] bs = raw.blocks(split);
      out[split.ordinal()] = new Block[(bs.length + g - 1) / g];
      for (int b = 0; b < bs.length; b += g) {
        out[split.ordinal()][b / g] = bs[b].sparse() ? normalizedSparse(bs[b], stats, f32)
            : normalizedDense(bs, b, Math.min(bs.length, b + g), stats, f32);
      }
    }
    return new PartitionData(raw.partition, raw.blockRows * g, out);
  }

  /** Raw dense blocks {@code [from, to)} of one split as one normalized block. */
  private static Block normalizedDense(Block[] bs, int from, int to, FeatureStats stats, boolean f32) {
    int d = bs[from].cols;
    int rows = 0;
    boolean weighted = bs[from].w != null;
    for (int b = from; b < to; b++) {
      rows += bs[b].rows;
    }
    double[] row = new double[d + 1];
    double[] x = f32 ? null : new double[rows * d];
    float[] xf = f32 ? new float[rows * d] : null;
    double[] y = new double[rows];
    double[] w = weighted ? new double[rows] : null;
    int o = 0;
    for (int b = from; b < to; b++) {
      Block in = bs[b];
      for (int r = 0; r < in.rows; r++, o++) {
        in.rowInto(r, row, 0);
        row[d] = in.y[r];
        stats.apply(row);
        if (f32) {
          for (int j = 0; j < d; j++) {
            xf[o * d + j] = (float) row[j];
          }
        } else {
          System.arraycopy(row, 0, x, o * d, d);
        }
        y[o] = row[d];
        if (weighted) {
          w[o] = in.w[r]; // weights stay raw
        }
      }
    }
    Block block = f32 ? Block.dense32(xf, y, rows, d, bs[from].firstId) : new Block(x, y, rows, d, bs[from].firstId);
    return weighted ? block.withWeights(w) : block;
  }

  /** A CSR block with each nonzero scaled by its column's rule (no shift: zeros stay zeros) and the label normalized. */
  private static Block normalizedSparse(Block in, FeatureStats stats, boolean f32) {
    int n = in.values();
    double[] x = f32 ? null : new double[n];
    float[] xf = f32 ? new float[n] : null;
    for (int i = 0; i < n; i++) {
      int c = in.col[i];
      double v = (in.x[i] - stats.shift(c)) / stats.scale(c);
      if (f32) {
        xf[i] = (float) v;
      } else {
        x[i] = v;
      }
    }
    int d = in.cols;
    double[] y = new double[in.rows];
    for (int r = 0; r < in.rows; r++) {
      y[r] = (in.y[r] - stats.shift(d)) / stats.scale(d);
    }
    Block out = Block.csr(in.rowStart.clone(), in.col.clone(), x, xf, y, in.rows, d, in.firstId);
    return in.w == null ? out : out.withWeights(in.w);
  }
}
