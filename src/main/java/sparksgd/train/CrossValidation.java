package sparksgd.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import sparksgd.data.FeatureStats;
import sparksgd.job.JobSpec;

/**
 * K-fold cross-validation (the {@code cv} command) over a {@link FoldTrainer}'s cached rows: folds run
 * concurrently (each in its own FAIR scheduler pool) when the application has the task slots for it.
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

  /**
   * Trains {@code job} on every fold of {@code trainer}, {@code parallelism} folds at a time; the engine
   * choice is announced on {@code out}.
   */
  public static List<FoldResult> run(JobSpec job, FoldTrainer trainer, int parallelism,
      EpochListenerFactory listeners, java.io.PrintWriter out) {
    JavaSparkContext jsc = trainer.jsc();
    List<java.util.concurrent.Callable<FoldResult>> tasks = new ArrayList<>();
    for (int f = 0; f < trainer.count(); f++) {
      int fold = f;
      tasks.add(() -> {
        jsc.setLocalProperty("spark.scheduler.pool", "fold-" + fold);
        jsc.setJobGroup("spark-sgd-fold-" + fold, "cross-validation fold " + (fold + 1), false);
        TrainingRun.Result r = trainer.train(job, fold, listeners.create(fold),
            TrainingRun.Start.fresh().printingTo(out));
        return new FoldResult(fold, trainer.stats(fold), r.history(), r.validation(), r.seconds());
      });
    }
    try {
      return Concurrently.run(parallelism, "spark-sgd-fold", tasks, () -> { });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("cross-validation interrupted", e);
    }
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
