package sparksgd.data;

import org.apache.spark.Partitioner;

/**
 * Sends row {@code id} of a split with {@code n} rows to partition {@code floor(id * P / n)}: every
 * partition gets a contiguous, equally sized id range of every split. Keys pack (split, id).
 */
public final class SplitRangePartitioner extends Partitioner {
  private static final int SHIFT = 56;
  private final int partitions;
  private final long[] splitRows;

  public SplitRangePartitioner(int partitions, long[] splitRows) {
    this.partitions = partitions;
    this.splitRows = splitRows.clone();
  }

  public static long key(Split split, long id) {
    return ((long) split.ordinal() << SHIFT) | id;
  }

  public static Split split(long key) {
    return Split.values()[(int) (key >>> SHIFT)];
  }

  public static long id(long key) {
    return key & ((1L << SHIFT) - 1);
  }

  /** First id of partition p in a split of n rows (the inverse of the rule above). */
  public static long firstId(int p, int partitions, long n) {
    return (p * n + partitions - 1) / partitions;
  }

  @Override
  public int numPartitions() {
    return partitions;
  }

  @Override
  public int getPartition(Object key) {
    long k = (Long) key;
    long n = splitRows[split(k).ordinal()];
    return (int) (id(k) * partitions / n);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SplitRangePartitioner other && other.partitions == partitions
        && java.util.Arrays.equals(other.splitRows, splitRows);
  }

  @Override
  public int hashCode() {
    return partitions * 31 + java.util.Arrays.hashCode(splitRows);
  }
}
