package sparksgd.ml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
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
import sparksgd.train.Components;
import sparksgd.train.EpochListener;
import sparksgd.train.TrainedModel;
import sparksgd.train.TrainingRun;

/**
 * A fit of either estimator: its Params become job keys, validated by the same loader as a job file,
 * and the DataFrame is cached as blocks exactly as the CLI caches a file; then the CLI's trainer runs.
 */
final class EstimatorTraining {
  private EstimatorTraining() {}

  /** The job the Params describe; {@code loss} is mse, bce or softmax. */
  static JobSpec job(SgdParams p, String labelCol, String loss, int classes) {
    List<String> o = new ArrayList<>();
    o.add("data.train=\"DataFrame\"");
    o.add("data.label=\"" + labelCol + "\"");
    if (!p.getWeightCol().isEmpty()) {
      o.add("data.weight=\"" + p.getWeightCol() + "\"");
    }
    o.add("data.test-fraction=0");
    o.add("data.normalize=" + p.getOrDefault(p.normalize()));
    int[] hidden = p.getHiddenLayers();
    o.add("model.type=" + (hidden.length == 0 ? "linear" : "mlp"));
    o.add("model.hidden=[" + Arrays.stream(hidden).mapToObj(Integer::toString).collect(Collectors.joining(",")) + "]");
    o.add("model.activation=" + p.getActivation());
    o.add("model.initializer=" + p.getOrDefault(p.initializer()));
    o.add("model.loss=" + loss);
    o.add("model.classes=" + classes);
    o.add("optimizer.type=" + p.getOptimizer());
    o.add("optimizer.learning-rate=" + p.getLearningRate());
    o.add("optimizer.weight-decay=" + p.getOrDefault(p.weightDecay()));
    o.add("optimizer.l1=" + p.getL1());
    o.add("optimizer.elastic-net=" + p.getElasticNetParam());
    o.add("optimizer.clip-norm=" + p.getClipNorm());
    o.add("training.epochs=" + p.getMaxEpochs());
    o.add("training.batch-size=" + p.getBatchSize());
    o.add("training.seed=" + p.getSeed());
    o.add("training.partitions=" + p.getPartitions());
    o.add("training.engine=" + p.getEngine());
    o.add("training.precision=" + p.getPrecision());
    if (!p.getCheckpointDir().isEmpty()) {
      o.add("checkpoint.dir=\"" + p.getCheckpointDir() + "\"");
    }
    return JobLoader.load(null, "spark-ml", o);
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
    try (TrainingData data = TrainingDataLoader.load(jsc, job.data(), job.training().seed(),
        job.training().partitions(), initial == null, job.model().classes(), input, job.training().precision())) {
      List<EpochListener> listeners = new ArrayList<>();
      TrainingRun.Start start = initial == null ? TrainingRun.Start.fresh()
          : new TrainingRun.Start(sparksgd.train.WarmStart.initial(job, initial, null, "the initial model"), null);
      sparksgd.data.FeatureStats stats = initial == null ? data.stats : initial.stats();
      if (job.checkpoint().dir() != null) {
        CheckpointStore store = new CheckpointStore(jsc.hadoopConfiguration(), job.checkpoint().dir());
        store.cleanupLeftovers();
        Checkpointer checkpointer = new Checkpointer(store, job, stats);
        int numParams = Components.model(job.model(), data.features(),
            Components.classes(job.model(), data.stats.max()[data.features()])).numParams();
        Optional<Checkpointer.Restored> restored = Checkpointer.restore(store, job, stats, numParams, m -> { });
        if (restored.isPresent()) {
          start = new TrainingRun.Start(m -> restored.get().state(), null);
        }
        listeners.add(checkpointer);
      }
      TrainingRun.Result r = TrainingRun.run(jsc, job, data, listeners, start, initial == null ? null : stats);
      return new TrainedModel(r.model(), Components.loss(job.model()), r.params(), stats, data.featureNames,
          data.label);
    }
  }
}
