package sparksgd.data;

import java.io.Serializable;

/**
 * Everything one partition holds: its blocks of every split. Within a split the partition holds a
 * contiguous range of dense row ids, in blocks of equal size (the last may be shorter).
 */
public final class PartitionData implements Serializable {
  private static final long serialVersionUID = 1L;
  public final int partition;
  public final int blockRows;
  private final Block[][] blocks; // [split.ordinal()][block]
  private transient EpochPlan plan; // rebuilt once per epoch in the executor that holds the data

  public PartitionData(int partition, int blockRows, Block[][] blocks) {
    this.partition = partition;
    this.blockRows = blockRows;
    this.blocks = blocks;
  }

  public Block[] blocks(Split split) {
    return blocks[split.ordinal()];
  }

  public int rows(Split split) {
    int n = 0;
    for (Block b : blocks(split)) {
      n += b.rows;
    }
    return n;
  }

  public long bytes() {
    long n = 0;
    for (Block[] bs : blocks) {
      for (Block b : bs) {
        n += b.bytes();
      }
    }
    return n;
  }

  /** The training rows' plan for an epoch, cached until the next epoch asks. */
  public synchronized EpochPlan plan(long totalTrainRows, int batchSize, long seed, int epoch) {
    if (plan == null || plan.epoch != epoch || plan.batchSize != batchSize || plan.seed != seed) {
      plan = EpochPlan.build(blocks(Split.TRAIN), blockRows, totalTrainRows, batchSize, seed, epoch);
    }
    return plan;
  }
}
