package sparksgd.data;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.stat.MultivariateOnlineSummarizer;
import sparksgd.job.DataSpec;

/**
 * Statistics of every fold's training part in one pass over raw cached rows: a summary per fold,
 * then fold k's statistics merge every summary but k's, so held-out rows never leak into the
 * statistics they are scored with. Sparse (CSR) rows are read as sparse vectors and their statistics
 * are uncentered, as the loader's are (zeros stay zeros).
 */
public final class FoldStats {
  private FoldStats() {}

  public static FeatureStats[] compute(TrainingData raw, Folds folds, DataSpec spec) {
    int k = folds.k();
    int columns = raw.features() + 1;
    boolean sparse = !raw.stats.centered(); // the loader's rule for CSR rows
    List<String> names = new ArrayList<>(raw.featureNames);
    names.add(raw.label);
    FeatureStats[] out;
    if (spec.weight() != null) {
      List<WeightedMoments[]> parts = raw.partitions.map(pd -> {
        WeightedMoments[] s = perFold(k, WeightedMoments[]::new, () -> new WeightedMoments(columns));
        double[] row = new double[columns];
        forEachRow(pd, (b, r) -> {
          b.rowInto(r, row, 0);
          row[columns - 1] = b.y[r];
          s[folds.foldOf(b.firstId + r)].add(row, b.w[r]);
        });
        return s;
      }).collect();
      out = merged(parts, k, () -> new WeightedMoments(columns), WeightedMoments::merge,
          m -> FeatureStats.of(names, m, spec.normalize(), spec.normalizeLabel()));
    } else {
      List<MultivariateOnlineSummarizer[]> parts = raw.partitions.map(pd -> {
        MultivariateOnlineSummarizer[] s = perFold(k, MultivariateOnlineSummarizer[]::new,
            MultivariateOnlineSummarizer::new);
        double[] row = sparse ? null : new double[columns]; // CSR rows need no dense buffer
        forEachRow(pd, (b, r) -> s[folds.foldOf(b.firstId + r)].add(withLabel(b, r, row)));
        return s;
      }).collect();
      out = merged(parts, k, MultivariateOnlineSummarizer::new, MultivariateOnlineSummarizer::merge,
          m -> FeatureStats.of(names, m, spec.normalize(), spec.normalizeLabel()));
    }
    for (int f = 0; f < k; f++) {
      out[f] = oneHotAsIs(raw, sparse ? out[f].uncentered() : out[f]);
    }
    return out;
  }

  /** Categorical columns' one-hot slots stay 0/1 in every fold, as in training ({@link CategoricalEncoder#passThrough}). */
  private static FeatureStats oneHotAsIs(TrainingData raw, FeatureStats s) {
    return raw.encoding == null ? s : raw.encoding.passThrough(s);
  }

  /**
   * Row {@code r} of {@code b} with its label as the last column: a sparse vector for a CSR block
   * (O(nonzeros), as the summarizer reads it), else a dense one over {@code buf} (read, not kept).
   */
  static Vector withLabel(Block b, int r, double[] buf) {
    int d = b.cols;
    if (b.sparse()) {
      int from = b.rowStart[r];
      int n = b.rowStart[r + 1] - from;
      int[] idx = java.util.Arrays.copyOf(java.util.Arrays.copyOfRange(b.col, from, from + n), n + 1);
      double[] val = java.util.Arrays.copyOf(java.util.Arrays.copyOfRange(b.x, from, from + n), n + 1);
      idx[n] = d;
      val[n] = b.y[r];
      return Vectors.sparse(d + 1, idx, val);
    }
    System.arraycopy(b.x, r * d, buf, 0, d);
    buf[d] = b.y[r];
    return Vectors.dense(buf);
  }

  private interface RowAction {
    void accept(Block b, int r);
  }

  private static void forEachRow(PartitionData pd, RowAction action) {
    for (Block b : pd.blocks(Split.TRAIN)) {
      for (int r = 0; r < b.rows; r++) {
        action.accept(b, r);
      }
    }
  }

  private static <T> T[] perFold(int k, IntFunction<T[]> array, java.util.function.Supplier<T> empty) {
    T[] s = array.apply(k);
    for (int f = 0; f < k; f++) {
      s[f] = empty.get();
    }
    return s;
  }

  /** Fold f's statistics merge every partition's summaries but fold f's, in partition then fold order. */
  private static <T> FeatureStats[] merged(List<T[]> parts, int k, java.util.function.Supplier<T> empty,
      BiConsumer<T, T> merge, Function<T, FeatureStats> finish) {
    FeatureStats[] out = new FeatureStats[k];
    for (int f = 0; f < k; f++) {
      T all = empty.get();
      for (T[] p : parts) { // partition order, then fold order: deterministic
        for (int g = 0; g < k; g++) {
          if (g != f) {
            merge.accept(all, p[g]);
          }
        }
      }
      out[f] = finish.apply(all);
    }
    return out;
  }

  /** Shift and scale arrays (features then label) of a statistics record. */
  public static double[][] shiftScale(FeatureStats s) {
    int n = s.names().size();
    double[] shift = new double[n];
    double[] scale = new double[n];
    for (int j = 0; j < n; j++) {
      shift[j] = s.shift(j);
      scale[j] = s.scale(j);
    }
    return new double[][] {shift, scale};
  }
}
