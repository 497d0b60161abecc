package sparksgd.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import sparksgd.data.FeatureStats;
import sparksgd.data.FoldStats;
import sparksgd.data.Folds;
import sparksgd.data.TrainingData;
import sparksgd.job.JobSpec;

/**
 * K-fold cross-validation over one cached copy of the raw training rows. Each fold trains on the
 * other folds with statistics of those rows only and validates on its own; folds run concurrently
 * (each in its own FAIR scheduler pool) when the application has the task slots for it.
 */
public final class CrossValidation {
  /** One fold's outcome; {@code history} has its per-epoch validation loss and MAE. */
  public record FoldResult(int fold, FeatureStats stats, List<EpochRecord> history, Map<String, Double> validation,
      double seconds) {}

  private CrossValidation() {}

  /** Folds that can run at once: task slots divided by the partitions one run holds. */
  public static int autoParallelism(JavaSparkContext jsc, int partitions, int folds) {
    return Math.max(1, Math.min(folds, jsc.sc().defaultParallelism() / Math.max(1, partitions)));
  }

  public static List<FoldResult> run(JavaSparkContext jsc, JobSpec job, TrainingData raw, Folds folds,
      int parallelism, EpochListenerFactory listeners) {
    FeatureStats[] stats = FoldStats.compute(raw, folds, job.data());
    List<java.util.concurrent.Callable<FoldResult>> tasks = new ArrayList<>();
    for (int f = 0; f < folds.k(); f++) {
      int fold = f;
      tasks.add(() -> {
        jsc.setLocalProperty("spark.scheduler.pool", "fold-" + fold);
        jsc.setJobGroup("spark-sgd-fold-" + fold, "cross-validation fold " + (fold + 1), false);
        return runFold(jsc, job, raw, folds, fold, stats[fold], listeners.create(fold));
      });
    }
    try {
      return Concurrently.run(parallelism, "spark-sgd-fold", tasks, () -> { });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("cross-validation interrupted", e);
    }
  }

  static FoldResult runFold(JavaSparkContext jsc, JobSpec job, TrainingData raw, Folds folds, int fold,
      FeatureStats stats, List<EpochListener> listeners) {
    TrainingRun.Result r = TrainingRun.runRaw(jsc, job, raw, folds.view(fold), stats, true, false, listeners,
        TrainingRun.Start.fresh());
    return new FoldResult(fold, stats, r.history(), r.validation(), r.seconds());
  }

  /** Listeners for one fold (progress lines, history files). */
  public interface EpochListenerFactory {
    List<EpochListener> create(int fold);
  }

  /** Validation curves of the headline metric (MAE, or accuracy for classifiers), one row per fold. */
  public static double[][] curves(List<FoldResult> results) {
    double[][] c = new double[results.size()][];
    for (int f = 0; f < c.length; f++) {
      List<EpochRecord> h = results.get(f).history();
      c[f] = new double[h.size()];
      for (int e = 0; e < h.size(); e++) {
        c[f][e] = h.get(e).validationMetric();
      }
    }
    return c;
  }

}
