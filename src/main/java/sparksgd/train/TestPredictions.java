package sparksgd.train;

import java.util.ArrayList;
import java.util.List;
import scala.Tuple2;
import sparksgd.data.Block;
import sparksgd.data.PartitionData;
import sparksgd.data.Split;
import sparksgd.data.TrainingData;
import sparksgd.model.Batch;
import sparksgd.model.Model;

/**
 * Predicted and actual labels (label units) of up to {@code limit} rows of a split, for the report's
 * charts; only that many rows ever reach the driver.
 */
public final class TestPredictions {
  private TestPredictions() {}

  /** {@code cached}: how the blocks hold the rows (RAW: data loaded for cross-validation or a sweep). */
  public static double[][] of(TrainingData data, TrainedModel m, Split split, int limit,
      sparksgd.data.CachedRows cached) {
    boolean raw = cached == sparksgd.data.CachedRows.RAW;
    // Blocks cached normalized need the network and two numbers, never the feature names and statistics
    // (megabytes to serialize into every task of a wide model).
    Model net = m.model();
    double[] params = m.params();
    double scale = m.stats().labelScale();
    double shift = m.stats().labelShift();
    List<Tuple2<Double, Double>> pairs = data.partitions
        .flatMap(pd -> (raw ? rawPairs(pd, m, split) : pairs(pd, net, params, scale, shift, split)).iterator())
        .take(limit);
    double[][] out = new double[2][pairs.size()];
    for (int i = 0; i < pairs.size(); i++) {
      out[0][i] = pairs.get(i)._1();
      out[1][i] = pairs.get(i)._2();
    }
    return out;
  }

  /**
   * A classifier's confusion matrix on every row of {@code split} ({@code [actual][predicted]}, summed over
   * the partitions; only the counts reach the driver), from blocks cached normalized.
   */
  public static long[][] confusion(TrainingData data, TrainedModel m, Split split) {
    int k = m.model().outputs();
    int classes = k == 1 ? 2 : k;
    Model net = m.model(); // not m: its feature names and statistics would go to every task
    double[] params = m.params();
    long[] flat = data.partitions.map(pd -> {
      long[] counts = new long[classes * classes];
      for (Block b : pd.blocks(split)) {
        double[] z = sparksgd.model.Forward.logits(net, params, b.asBatch());
        for (int r = 0; r < b.rows; r++) {
          int actual = (int) b.y[r];
          if (actual >= 0 && actual < classes) {
            counts[actual * classes + sparksgd.model.ClassificationMetrics.predictedClass(z, r * k, k)]++;
          }
        }
      }
      return counts;
    }).fold(new long[classes * classes], (a, b) -> {
      long[] sum = a.clone();
      for (int i = 0; i < sum.length; i++) {
        sum[i] += b[i];
      }
      return sum;
    });
    long[][] out = new long[classes][classes];
    for (int a = 0; a < classes; a++) {
      System.arraycopy(flat, a * classes, out[a], 0, classes);
    }
    return out;
  }

  private static List<Tuple2<Double, Double>> rawPairs(PartitionData pd, TrainedModel m, Split split) {
    List<Tuple2<Double, Double>> out = new ArrayList<>();
    for (Block b : pd.blocks(split)) {
      double[] x = new double[b.rows * b.cols];
      for (int r = 0; r < b.rows; r++) {
        b.rowInto(r, x, r * b.cols);
      }
      double[] p = m.predictRaw(x, b.rows);
      for (int r = 0; r < b.rows; r++) {
        out.add(new Tuple2<>(p[r], b.y[r]));
      }
    }
    return out;
  }

  private static List<Tuple2<Double, Double>> pairs(PartitionData pd, Model net, double[] params, double scale,
      double shift, Split split) {
    List<Tuple2<Double, Double>> out = new ArrayList<>();
    int k = net.outputs();
    for (Block b : pd.blocks(split)) {
      double[] z = sparksgd.model.Forward.logits(net, params, b.asBatch());
      for (int r = 0; r < b.rows; r++) {
        out.add(new Tuple2<>(z[r * k] * scale + shift, b.y[r] * scale + shift));
      }
    }
    return out;
  }
}
