package sparksgd.data;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * The loaded, validated, normalized data of a job, cached as one {@link PartitionData} per
 * partition. Statistics come from the training rows only.
 */
public final class TrainingData implements AutoCloseable {
  public final JavaRDD<PartitionData> partitions;
  public final FeatureStats stats;
  public final List<String> featureNames;
  public final String label;
  private final long[] rows;
  public final long cachedBytes;
  /** The categorical columns' encoding (data.categorical), or null. */
  public final CategoricalEncoder encoding;

  public TrainingData(JavaRDD<PartitionData> partitions, FeatureStats stats, List<String> featureNames,
      String label, long[] rows, long cachedBytes) {
    this(partitions, stats, featureNames, label, rows, cachedBytes, null);
  }

  public TrainingData(JavaRDD<PartitionData> partitions, FeatureStats stats, List<String> featureNames,
      String label, long[] rows, long cachedBytes, CategoricalEncoder encoding) {
    this.encoding = encoding;
    this.partitions = partitions;
    this.stats = stats;
    this.featureNames = featureNames;
    this.label = label;
    this.rows = rows;
    this.cachedBytes = cachedBytes;
  }

  public long rows(Split split) {
    return rows[split.ordinal()];
  }

  /** True when the rows are cached as CSR blocks: the loader then scales them without centering. */
  public boolean sparse() {
    return !stats.centered();
  }

  public int numPartitions() {
    return partitions.getNumPartitions();
  }

  public int features() {
    return featureNames.size();
  }

  @Override
  public void close() {
    partitions.unpersist(false);
  }
}
