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
    Block[][] blocks = new Block[3][];
    long[] first = new long[3];
    int[] counts = new int[3];
    BitSet[] seen = new BitSet[3];
    for (Split split : Split.values()) {
      int s = split.ordinal();
      long n = splitRows[s];
      first[s] = n == 0 ? 0 : SplitRangePartitioner.firstId(p, partitions, n);
      long end = n == 0 ? 0 : SplitRangePartitioner.firstId(p + 1, partitions, n);
      int count = (int) (end - first[s]);
      counts[s] = count;
      seen[s] = new BitSet(count);
      int nBlocks = (count + blockRows - 1) / blockRows;
      blocks[s] = new Block[nBlocks];
      for (int b = 0; b < nBlocks; b++) {
        int r = Math.min(blockRows, count - b * blockRows);
        blocks[s][b] = new Block(new double[r * d], new double[r], r, d, first[s] + (long) b * blockRows);
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
      bs[b].y[r] = v[d];
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
   * A normalized copy (the raw blocks may be cached and read again), at {@code precision}: values are
   * normalized in double and then rounded, so float32 blocks hold the nearest floats of the float64 ones.
   */
  static PartitionData normalized(PartitionData raw, FeatureStats stats, sparksgd.model.Precision precision) {
    boolean f32 = precision == sparksgd.model.Precision.FLOAT32;
    Block[][] out = new Block[3][];
    double[] row = null;
    for (Split split : Split.values()) {
      Block[] bs = raw.blocks(split);
      out[split.ordinal()] = new Block[bs.length];
      for (int b = 0; b < bs.length; b++) {
        Block in = bs[b];
        int d = in.cols;
        if (row == null) {
          row = new double[d + 1];
        }
        double[] x = f32 ? null : new double[in.rows * d];
        float[] xf = f32 ? new float[in.rows * d] : null;
        double[] y = new double[in.rows];
        for (int r = 0; r < in.rows; r++) {
          in.rowInto(r, row, 0);
          row[d] = in.y[r];
          stats.apply(row);
          if (f32) {
            for (int j = 0; j < d; j++) {
              xf[r * d + j] = (float) row[j];
            }
          } else {
            System.arraycopy(row, 0, x, r * d, d);
          }
          y[r] = row[d];
        }
        out[split.ordinal()][b] = f32 ? Block.dense32(xf, y, in.rows, d, in.firstId)
            : new Block(x, y, in.rows, d, in.firstId);
      }
    }
    return new PartitionData(raw.partition, raw.blockRows, out);
  }
}
