package sparksgd.train;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import sparksgd.data.Block;
import sparksgd.data.PartitionData;
import sparksgd.data.Split;
import sparksgd.model.ClassWeightedLoss;
import sparksgd.model.Loss;

/**
 * {@code model.class-weights}: none, {@code balanced} (scikit-learn's {@code n / (K * n_c)} from the
 * training rows' class counts, one pass over the cached labels), or one weight per class.
 */
public final class ClassWeights {
  private ClassWeights() {}

  /** {@code base} itself when no weights are set, else the weighted loss over {@code classes} classes. */
  public static Loss apply(Loss base, List<Double> given, boolean balanced, int classes,
      JavaRDD<PartitionData> partitions) {
    if (!balanced && (given == null || given.isEmpty())) {
      return base;
    }
    double[] w;
    if (balanced) {
      w = balanced(count(partitions, classes));
    } else {
      if (given.size() != classes) {
        throw new sparksgd.job.JobConfigException("model.class-weights", "lists " + given.size()
            + " weights but the model has " + classes + " classes");
      }
      w = given.stream().mapToDouble(Double::doubleValue).toArray();
    }
    return new ClassWeightedLoss(base, w);
  }

  /** n / (K n_c); a class with no training rows gets 0 (it contributes no loss anyway). */
  static double[] balanced(long[] counts) {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    double[] w = new double[counts.length];
    for (int c = 0; c < counts.length; c++) {
      w[c] = counts[c] == 0 ? 0 : (double) n / ((double) counts.length * counts[c]);
    }
    return w;
  }

  /** Training rows per class, from the cached labels (raw or normalized: class labels are never scaled). */
  static long[] count(JavaRDD<PartitionData> partitions, int classes) {
    return partitions.map(pd -> {
      long[] c = new long[classes];
      for (Block b : pd.blocks(Split.TRAIN)) {
        for (int r = 0; r < b.rows; r++) {
          c[(int) b.y[r]]++;
        }
      }
      return c;
    }).reduce((a, b) -> {
      long[] s = a.clone();
      for (int i = 0; i < s.length; i++) {
        s[i] += b[i];
      }
      return s;
    });
  }
}
