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
  // Plans of the current epoch, one per view (concurrent CV folds share this object); rebuilt once
  // per epoch in the executor that holds the data.
  private transient java.util.Map<String, EpochPlan> plans;

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
  public EpochPlan plan(long totalTrainRows, int batchSize, long seed, int epoch) {
    return plan(RowView.all(totalTrainRows), batchSize, seed, epoch);
  }

  public synchronized EpochPlan plan(RowView view, int batchSize, long seed, int epoch) {
    if (plans == null) {
      plans = new java.util.HashMap<>();
    }
    EpochPlan plan = plans.get(view.key());
    if (plan == null || plan.epoch != epoch || plan.batchSize != batchSize || plan.seed != seed) {
      if (plans.size() > 64) {
        plans.clear(); // views of finished runs; bounded so a long sweep does not keep them all
      }
      plan = EpochPlan.build(blocks(Split.TRAIN), blockRows, view, batchSize, seed, epoch);
      plans.put(view.key(), plan);
    }
    return plan;
  }
}
