package sparksgd.ml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import sparksgd.data.Inputs;
import sparksgd.data.TrainingData;
import sparksgd.data.TrainingDataLoader;
import sparksgd.job.JobLoader;
import sparksgd.job.JobSpec;
import sparksgd.store.CheckpointStore;
import sparksgd.train.Checkpointer;
import sparksgd.train.EpochListener;
import sparksgd.train.Timings;
import sparksgd.train.TrainedModel;
import sparksgd.train.TrainingJob;
import sparksgd.train.TrainingRun;

/**
 * A fit of either estimator: its Params become job keys, validated by the same loader as a job file,
 * and the DataFrame is cached as blocks exactly as the CLI caches a file; then the CLI's trainer runs.
 */
final class EstimatorTraining {
  private EstimatorTraining() {}

  /**
   * The job the Params describe; {@code loss} is mse, bce or softmax. Built as a Config from values, never
   * as HOCON text, so a column name or path with quotes or other HOCON syntax in it stays a plain string.
   */
  static JobSpec job(SgdParams p, String labelCol, String loss, int classes) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("data.train", "DataFrame");
    o.put("data.label", labelCol);
    if (!p.getWeightCol().isEmpty()) {
      o.put("data.weight", p.getWeightCol());
    }
    o.put("data.test-fraction", 0);
    o.put("data.normalize", p.getOrDefault(p.normalize()));
    int[] hidden = p.getHiddenLayers();
    o.put("model.type", hidden.length == 0 ? "linear" : "mlp");
    o.put("model.hidden", Arrays.stream(hidden).boxed().toList());
    o.put("model.activation", p.getActivation());
    o.put("model.initializer", p.getOrDefault(p.initializer()));
    o.put("model.loss", loss);
    o.put("model.classes", classes);
    o.put("optimizer.type", p.getOptimizer());
    o.put("optimizer.learning-rate", p.getLearningRate());
    o.put("optimizer.weight-decay", p.getOrDefault(p.weightDecay()));
    o.put("optimizer.l1", p.getL1());
    o.put("optimizer.elastic-net", p.getElasticNetParam());
    o.put("optimizer.clip-norm", p.getClipNorm());
    o.put("training.epochs", p.getMaxEpochs());
    o.put("training.batch-size", p.getBatchSize());
    o.put("training.seed", p.getSeed());
    o.put("training.partitions", p.getPartitions());
    o.put("training.engine", p.getEngine());
    o.put("training.precision", p.getPrecision());
    if (!p.getCheckpointDir().isEmpty()) {
      o.put("checkpoint.dir", p.getCheckpointDir());
    }
    // parseMap reads keys as paths (data.label is label under data) and keeps values as they are.
    String text = ConfigFactory.parseMap(o).root().render(ConfigRenderOptions.concise());
    return JobLoader.load(text, "spark-ml", List.of());
  }

  /** Trains on {@code df}'s features vector and label columns; resumes from checkpointDir when it has one. */
  static TrainedModel fit(Dataset<Row> df, String featuresCol, String labelCol, JobSpec job) {
    return fit(df, featuresCol, labelCol, job, null);
  }

  /**
   * As above, starting from {@code initial}'s weights and statistics when not null (setInitialModel: the
   * CLI's model.init-from with data.stats-from = model; fresh optimizer state). A checkpoint, when there
   * is one, still wins: it is the later state of this same fit.
   */
  static TrainedModel fit(Dataset<Row> df, String featuresCol, String labelCol, JobSpec job, TrainedModel initial) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext());
    Inputs.Prepared input = Inputs.fromFrame(df, featuresCol, labelCol, job.data().weight(), "DataFrame");
    try (TrainingData data = TrainingDataLoader.forJob(jsc, job,
        initial == null ? sparksgd.data.CachedRows.NORMALIZED : sparksgd.data.CachedRows.RAW, input)) {
      List<EpochListener> listeners = new ArrayList<>();
      sparksgd.data.FeatureStats stats = initial == null ? data.stats : initial.stats();
      Checkpointer.Restored restored = null;
      if (job.checkpoint().dir() != null) {
        CheckpointStore store = new CheckpointStore(jsc.hadoopConfiguration(), job.checkpoint().dir());
        store.cleanupLeftovers();
        restored = TrainingJob.restore(store, job, stats, data, m -> { }).orElse(null);
        listeners.add(new Checkpointer(store, job, stats));
      }
      TrainingRun.Start start = TrainingJob.start(restored, initial == null ? null
          : sparksgd.train.WarmStart.initial(job, initial, null, "the initial model"), null, new Timings());
      TrainingRun.Result r = TrainingRun.run(jsc, job, sparksgd.train.RunRows.all(data, initial == null ? null : stats),
          listeners, start);
      return TrainingJob.trainedModel(job, r, stats, data);
    }
  }
}
