package sparksgd.data;

import java.util.Iterator;
import scala.Tuple2;

/** Packs one partition's sorted (split, id) rows into dense blocks of at most {@code blockRows}. */
final class BlockBuilder {
  private BlockBuilder() {}

  /** {@code stats} null leaves the rows raw (cross-validation normalizes per fold). */
  static PartitionData build(int p, int partitions, long[] splitRows, int d, int blockRows, FeatureStats stats,
      Iterator<Tuple2<Long, double[]>> sorted) {
    Block[][] blocks = new Block[3][];
    Tuple2<Long, double[]> pending = sorted.hasNext() ? sorted.next() : null;
    for (Split split : Split.values()) {
      long n = splitRows[split.ordinal()];
      long first = n == 0 ? 0 : SplitRangePartitioner.firstId(p, partitions, n);
      long end = n == 0 ? 0 : SplitRangePartitioner.firstId(p + 1, partitions, n);
      int count = (int) (end - first);
      int nBlocks = (count + blockRows - 1) / blockRows;
      blocks[split.ordinal()] = new Block[nBlocks];
      for (int b = 0; b < nBlocks; b++) {
        int rows = Math.min(blockRows, count - b * blockRows);
        double[] x = new double[rows * d];
        double[] y = new double[rows];
        long firstId = first + (long) b * blockRows;
        for (int r = 0; r < rows; r++) {
          if (pending == null || SplitRangePartitioner.split(pending._1()) != split
              || SplitRangePartitioner.id(pending._1()) != firstId + r) {
            throw new IllegalStateException("partition " + p + " misses row " + (firstId + r) + " of " + split);
          }
          double[] v = pending._2();
          if (stats != null) {
            v = v.clone(); // the shuffle's rows are read again; never normalize them in place
            stats.apply(v);
          }
          System.arraycopy(v, 0, x, r * d, d);
          y[r] = v[d];
          pending = sorted.hasNext() ? sorted.next() : null;
        }
        blocks[split.ordinal()][b] = new Block(x, y, rows, d, firstId);
      }
    }
    return new PartitionData(p, blockRows, blocks);
  }
}
