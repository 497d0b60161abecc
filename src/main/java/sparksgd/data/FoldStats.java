package sparksgd.data;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.stat.MultivariateOnlineSummarizer;
import sparksgd.job.DataSpec;

/**
 * Statistics of every fold's training part in one pass over raw cached rows: a summary per fold,
 * then fold k's statistics merge every summary but k's, so held-out rows never leak into the
 * statistics they are scored with.
 */
public final class FoldStats {
  private FoldStats() {}

  public static FeatureStats[] compute(TrainingData raw, Folds folds, DataSpec spec) {
    int k = folds.k();
    if (spec.weight() != null) {
      return weighted(raw, folds, spec);
    }
    List<MultivariateOnlineSummarizer[]> parts = raw.partitions.map(pd -> {
      MultivariateOnlineSummarizer[] s = new MultivariateOnlineSummarizer[k];
      for (int f = 0; f < k; f++) {
        s[f] = new MultivariateOnlineSummarizer();
      }
      double[] row = new double[0];
      for (Block b : pd.blocks(Split.TRAIN)) {
        if (row.length != b.cols + 1) {
          row = new double[b.cols + 1];
        }
        for (int r = 0; r < b.rows; r++) {
          System.arraycopy(b.x, r * b.cols, row, 0, b.cols);
          row[b.cols] = b.y[r];
          s[folds.foldOf(b.firstId + r)].add(Vectors.dense(row.clone()));
        }
      }
      return s;
    }).collect();
    List<String> names = new ArrayList<>(raw.featureNames);
    names.add(raw.label);
    FeatureStats[] out = new FeatureStats[k];
    for (int f = 0; f < k; f++) {
      MultivariateOnlineSummarizer merged = new MultivariateOnlineSummarizer();
      for (MultivariateOnlineSummarizer[] p : parts) { // partition order, then fold order: deterministic
        for (int g = 0; g < k; g++) {
          if (g != f) {
            merged.merge(p[g]);
          }
        }
      }
      out[f] = oneHotAsIs(raw, FeatureStats.of(names, merged, spec.normalize(), spec.normalizeLabel()));
    }
    return out;
  }

  /** Categorical columns' one-hot slots stay 0/1 in every fold, as in training ({@link CategoricalEncoder#passThrough}). */
  private static FeatureStats oneHotAsIs(TrainingData raw, FeatureStats s) {
    return raw.encoding == null ? s : raw.encoding.passThrough(s);
  }

  /** The same for sample-weighted rows ({@code data.weight}): weighted means and deviations per fold. */
  private static FeatureStats[] weighted(TrainingData raw, Folds folds, DataSpec spec) {
    int k = folds.k();
    List<WeightedMoments[]> parts = raw.partitions.map(pd -> {
      WeightedMoments[] s = null;
      double[] row = null;
      for (Block b : pd.blocks(Split.TRAIN)) {
        if (s == null) {
          s = new WeightedMoments[k];
          for (int f = 0; f < k; f++) {
            s[f] = new WeightedMoments(b.cols + 1);
          }
          row = new double[b.cols + 1];
        }
        for (int r = 0; r < b.rows; r++) {
          b.rowInto(r, row, 0);
          row[b.cols] = b.y[r];
          s[folds.foldOf(b.firstId + r)].add(row, b.w[r]);
        }
      }
      return s;
    }).collect();
    List<String> names = new ArrayList<>(raw.featureNames);
    names.add(raw.label);
    FeatureStats[] out = new FeatureStats[k];
    for (int f = 0; f < k; f++) {
      WeightedMoments merged = new WeightedMoments(names.size());
      for (WeightedMoments[] p : parts) { // partition order, then fold order: deterministic
        for (int g = 0; p != null && g < k; g++) {
          if (g != f) {
            merged.merge(p[g]);
          }
        }
      }
      out[f] = oneHotAsIs(raw, FeatureStats.of(names, merged, spec.normalize(), spec.normalizeLabel()));
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
