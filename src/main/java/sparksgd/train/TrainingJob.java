package sparksgd.train;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.hadoop.fs.Path;
import sparksgd.data.FeatureStats;
import sparksgd.data.TrainingData;
import sparksgd.job.JobSpec;
import sparksgd.model.Model;
import sparksgd.store.CheckpointStore;
import sparksgd.store.RunFolder;

/**
 * The one path of a training job around its {@link TrainingRun}, shared by {@code train}, a sweep's
 * final model and the Spark ML estimators: where it starts (a checkpoint, a warm start's weights or
 * fresh ones), the {@link TrainedModel} it yields, and what it leaves in a run folder (model/ with its
 * provenance, the report, metrics.json).
 */
public final class TrainingJob {
  private TrainingJob() {}

  /** A finished training: its result and model, the rows of its history.csv and its headline metric. */
  public record Outcome(JobSpec job, TrainingData data, TrainingRun.Result result, TrainedModel model,
      List<EpochRecord> history, Metric metric, sparksgd.data.CachedRows cached) {
    /** True when the data's blocks hold raw rows (a sweep's shared cache, or a warm start's own statistics). */
    public boolean rawRows() {
      return cached == sparksgd.data.CachedRows.RAW;
    }

    /** metrics.json's splits: train, then validation and test when they exist. */
    public Map<String, Map<String, Double>> metricsBySplit() {
      return TrainingJob.metricsBySplit(result);
    }
  }

  /** Draws a run's report.html and charts ({@code report/TrainingReport}: that package sits above this one). */
  public interface Reporter {
    void write(RunFolder run, Outcome outcome, List<String> notes);
  }

  /** The newest valid checkpoint of this job in {@code store}, if any ({@code warn} hears of damaged ones). */
  public static Optional<Checkpointer.Restored> restore(CheckpointStore store, JobSpec job, FeatureStats stats,
      TrainingData data, Consumer<String> warn) {
    int numParams = Components.model(job.model(), data.features(),
        Components.classes(job.model(), data.stats.max()[data.features()])).numParams();
    return Checkpointer.restore(store, job, stats, numParams, warn);
  }

  /**
   * Where training starts: a restored checkpoint wins (it is the later state of this same run), else a
   * warm start's weights ({@code warm}, null for fresh ones).
   */
  public static TrainingRun.Start start(Checkpointer.Restored restored, Function<Model, TrainerState> warm,
      StopSignal stop, Timings timings) {
    return new TrainingRun.Start(restored != null ? m -> restored.state() : warm, stop, 0, timings,
        new java.io.PrintWriter(System.out, true));
  }

  /** The model a result holds, with the statistics its inputs are normalized by. */
  public static TrainedModel trainedModel(JobSpec job, TrainingRun.Result r, FeatureStats stats, TrainingData data) {
    return new TrainedModel(r.model(), Components.loss(job.model()), r.params(), stats, data.featureNames,
        data.label, data.encoding);
  }

  /** model.json's provenance: versions, job, config hash, engine, epochs, kept epoch and seed. */
  public static Map<String, Object> provenance(JobSpec job, TrainingRun.Result r) {
    Map<String, Object> p = new LinkedHashMap<>();
    String version = TrainingJob.class.getPackage().getImplementationVersion();
    p.put("spark-sgd", version == null ? "development" : version);
    p.put("spark", org.apache.spark.package$.MODULE$.SPARK_VERSION());
    p.put("job", job.name());
    p.put("config-sha256", job.configHash());
    p.put("engine", job.training().engine());
    p.put("epochs", r.state().epochsDone);
    p.put("kept-epoch", r.keptEpoch());
    p.put("seed", job.training().seed());
    return p;
  }

  public static Map<String, Map<String, Double>> metricsBySplit(TrainingRun.Result r) {
    Map<String, Map<String, Double>> m = new LinkedHashMap<>();
    m.put("train", r.train());
    if (r.validation() != null) {
      m.put("validation", r.validation());
    }
    if (r.test() != null) {
      m.put("test", r.test());
    }
    return m;
  }

  /**
   * Writes {@code model/} (with {@code provenance}), the report and {@code metrics.json}, in that order;
   * {@code extra} is asked for last, so it can hold the time the report took.
   */
  public static void writeOutputs(RunFolder run, Outcome o, Map<String, Object> provenance, Reporter reporter,
      List<String> notes, Supplier<Map<String, Object>> extra) {
    ModelFiles.save(run.conf(), new Path(run.path(), "model").toString(), o.model(), provenance);
    reporter.write(run, o, notes);
    run.writeMetrics(o.metricsBySplit(), o.history().size(), o.result().seconds(), extra.get());
  }

  /** The closing lines: epochs and time, each split's headline figures, the output folder. */
  public static void printSummary(PrintWriter out, TrainingRun.Result r, String folder) {
    out.printf(Locale.ROOT, "trained %d epochs in %.1fs%n", r.history().size(), r.seconds());
    line(out, "train", r.train());
    if (r.validation() != null) {
      line(out, "validation", r.validation());
    }
    if (r.test() != null) {
      line(out, "test", r.test());
    }
    out.println("output: " + folder);
  }

  private static void line(PrintWriter out, String name, Map<String, Double> m) {
    if (m.containsKey("accuracy")) {
      out.printf(Locale.ROOT, "%-10s accuracy %.4f  log loss %.4f  F1 %.4f%n", name, m.get("accuracy"),
          m.get("logloss"), m.get("f1"));
    } else {
      out.printf(Locale.ROOT, "%-10s MAE %.4f  RMSE %.4f  R2 %.4f%n", name, m.get("mae"), m.get("rmse"), m.get("r2"));
    }
  }
}
