package sparksgd.train;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import sparksgd.data.FeatureStats;
import sparksgd.data.FoldStats;
import sparksgd.data.Folds;
import sparksgd.data.RowView;
import sparksgd.data.Split;
import sparksgd.data.TrainingData;
import sparksgd.job.DataSpec;
import sparksgd.job.JobSpec;

/**
 * The one fold runner of {@code cv} and the sweeps: trains jobs on one shared, cached copy of the raw
 * training rows (dense or CSR), fold by fold. With K folds each fold trains on the others, normalized with
 * statistics of those rows only (computed once, for every job trained here), and validates on its own;
 * with no folds the one "fold" trains on every training row and validates on the job's validation split.
 */
public final class FoldTrainer {
  private final JavaSparkContext jsc;
  private final TrainingData raw;
  private final Folds folds;
  private final FeatureStats[] stats;

  /**
   * @param raw rows cached raw (not normalized), loaded once for every job
   * @param folds null: train on every training row, score on the VALIDATION split
   */
  public FoldTrainer(JavaSparkContext jsc, TrainingData raw, Folds folds, DataSpec spec) {
    this.jsc = jsc;
    this.raw = raw;
    this.folds = folds;
    this.stats = folds == null ? new FeatureStats[] {raw.stats} : FoldStats.compute(raw, folds, spec);
  }

  /** The folds trained: K, or 1 for the validation split. */
  public int count() {
    return stats.length;
  }

  /** True when scoring holds out folds (false: the validation split). */
  public boolean crossValidates() {
    return folds != null;
  }

  public TrainingData data() {
    return raw;
  }

  /** The statistics fold {@code fold} is normalized with (those of its training rows). */
  public FeatureStats stats(int fold) {
    return stats[fold];
  }

  /** Trains {@code job} on fold {@code fold}'s training rows and evaluates it on its held-out rows. */
  public TrainingRun.Result train(JobSpec job, int fold, List<EpochListener> listeners, TrainingRun.Start start) {
    RowView view = folds == null ? RowView.all(raw.rows(Split.TRAIN)) : folds.view(fold);
    return TrainingRun.run(jsc, job, RunRows.heldOut(raw, view, stats[fold]), listeners, start);
  }

  /**
   * Trains {@code job} on every training row, normalized with the statistics of all of them, and
   * evaluates it on the test split (and the validation split, when there is one).
   */
  public TrainingRun.Result trainFinal(JobSpec job, List<EpochListener> listeners, TrainingRun.Start start) {
    return TrainingRun.run(jsc, job, RunRows.all(raw, raw.stats), listeners, start);
  }

  /** The Spark context the folds train on (a caller names its scheduler pool and job group there). */
  public JavaSparkContext jsc() {
    return jsc;
  }
}
