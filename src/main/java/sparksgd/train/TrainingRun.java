package sparksgd.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import sparksgd.data.PartitionData;
import sparksgd.data.Split;
import sparksgd.data.TrainingData;
import sparksgd.engine.GangEngine;
import sparksgd.engine.GangSettings;
import sparksgd.engine.JobsEngine;
import sparksgd.engine.PartitionWorker;
import sparksgd.engine.Metrics;
import sparksgd.engine.StepEngine;
import sparksgd.job.JobSpec;
import sparksgd.model.Loss;
import sparksgd.model.Model;
import sparksgd.optim.Optimizer;
import sparksgd.optim.OptimizerState;

/**
 * One training of one job on already loaded data: builds model, optimizer and engine from the
 * job, runs the {@link Trainer}, and evaluates the final parameters. Shared by the CLI, cross
 * validation, sweeps and the Spark ML estimators.
 */
public final class TrainingRun {
  /** Rows gathered per kernel call; bounds scratch memory whatever the batch size. */
  static final int CHUNK_ROWS = 1024;

  /**
   * The outcome. {@code stoppedEpoch} is 0 unless early stopping ended training; {@code keptEpoch} is the
   * epoch whose weights {@code params} hold.
   */
  public record Result(Model model, double[] params, OptimizerState optimizerState, List<EpochRecord> history,
      Map<String, Double> train, Map<String, Double> validation, Map<String, Double> test, double seconds,
      int stoppedEpoch, int keptEpoch, TrainerState state, boolean interrupted) {}

  /** Where training starts (a restored checkpoint, or null for fresh weights) and how it may be stopped. */
  public record Start(java.util.function.Function<Model, TrainerState> initial, StopSignal stop) {
    public static Start fresh() {
      return new Start(null, null);
    }
  }

  private TrainingRun() {}

  public static StepEngine engine(JavaSparkContext jsc, JobSpec job, JavaRDD<PartitionData> data,
      PartitionWorker worker) {
    if (job.training().engine().equals("jobs")) {
      return new JobsEngine(jsc, data, worker);
    }
    try {
      return new GangEngine(jsc, data, worker,
          GangSettings.defaults().withStepTimeout(job.training().stepTimeout()));
    } catch (IllegalArgumentException e) {
      throw new sparksgd.job.JobConfigException("training.partitions", e.getMessage());
    }
  }

  /** Trains the job on data cached already normalized with its training statistics. */
  public static Result run(JavaSparkContext jsc, JobSpec job, TrainingData data, List<EpochListener> listeners) {
    return run(jsc, job, data, listeners, Start.fresh());
  }

  /**
   * As {@link #run(JavaSparkContext, JobSpec, TrainingData, List, Start)}; with {@code modelStats} non-null
   * the data was cached raw and is normalized on the fly with those statistics (a warm start with
   * data.stats-from = model keeps the starting model's feature scale).
   */
  public static Result run(JavaSparkContext jsc, JobSpec job, TrainingData data, List<EpochListener> listeners,
      Start start, sparksgd.data.FeatureStats modelStats) {
    if (modelStats == null) {
      return run(jsc, job, data, listeners, start);
    }
    return runRaw(jsc, job, data, sparksgd.data.RowView.all(data.rows(Split.TRAIN)), modelStats,
        data.rows(Split.VALIDATION) > 0, data.rows(Split.TEST) > 0, listeners, start);
  }

  public static Result run(JavaSparkContext jsc, JobSpec job, TrainingData data, List<EpochListener> listeners,
      Start start) {
    Model model = Components.model(job.model(), data.features(),
        Components.classes(job.model(), data.stats.max()[data.features()]));
    Loss loss = ClassWeights.apply(Components.loss(job.model()), job.model().classWeights(),
        job.model().balancedClassWeights(), model.outputs() == 1 ? 2 : model.outputs(), data.partitions);
    PartitionWorker worker = new PartitionWorker(model, loss, job.training().batchSize(), job.training().seed(),
        data.rows(Split.TRAIN), CHUNK_ROWS, data.stats.labelShift(), data.stats.labelScale());
    return run(jsc, job, data.partitions, model, worker, data.rows(Split.TRAIN), data.rows(Split.VALIDATION) > 0,
        data.rows(Split.TEST) > 0, listeners, start);
  }

  /**
   * Trains on rows cached raw, normalized on the fly with {@code stats} (statistics of the rows the
   * view trains on): a cross-validation fold, a sweep trial, or a sweep's final model, all sharing one
   * cached copy of the input.
   */
  public static Result runRaw(JavaSparkContext jsc, JobSpec job, TrainingData raw, sparksgd.data.RowView view,
      sparksgd.data.FeatureStats stats, boolean hasValidation, boolean hasTest, List<EpochListener> listeners,
      Start start) {
    Model model = Components.model(job.model(), raw.features(),
        Components.classes(job.model(), raw.stats.max()[raw.features()]));
    // Balanced weights count every training row of the cache (not only a fold's view).
    Loss loss = ClassWeights.apply(Components.loss(job.model()), job.model().classWeights(),
        job.model().balancedClassWeights(), model.outputs() == 1 ? 2 : model.outputs(), raw.partitions);
    double[][] ss = sparksgd.data.FoldStats.shiftScale(stats);
    PartitionWorker worker = PartitionWorker.normalizing(model, loss, job.training().batchSize(),
        job.training().seed(), view, CHUNK_ROWS, ss[0], ss[1]);
    return run(jsc, job, raw.partitions, model, worker, view.trainRows(), hasValidation, hasTest, listeners, start);
  }

  /** Trains with a given worker (e.g. one CV fold's view and statistics) over cached partitions. */
  public static Result run(JavaSparkContext jsc, JobSpec job, JavaRDD<PartitionData> partitions, Model model,
      PartitionWorker worker, long trainRows, boolean hasValidation, boolean hasTest, List<EpochListener> listeners) {
    return run(jsc, job, partitions, model, worker, trainRows, hasValidation, hasTest, listeners, Start.fresh());
  }

  public static Result run(JavaSparkContext jsc, JobSpec job, JavaRDD<PartitionData> partitions, Model model,
      PartitionWorker worker, long trainRows, boolean hasValidation, boolean hasTest, List<EpochListener> listeners,
      Start from) {
    long start = System.nanoTime();
    Optimizer optimizer = Components.optimizer(job.optimizer(), model.layout());
    TrainerState state;
    if (from.initial() != null) {
      state = from.initial().apply(model);
    } else {
      double[] fresh = new double[model.numParams()];
      model.init(fresh, job.training().seed());
      state = new TrainerState(fresh, optimizer.initialise(fresh.length), 0, 0);
    }
    double[] params = state.params;
    try (StepEngine engine = engine(jsc, job, partitions, worker)) {
      Trainer trainer = new Trainer(engine, optimizer, Components.schedule(job), job.optimizer().learningRate(),
          trainRows, job.training().batchSize(), hasValidation, hasTest);
      List<EpochListener> all = new ArrayList<>(listeners);
      EarlyStopping early = job.training().earlyStopping().enabled()
          ? new EarlyStopping(job.training().earlyStopping()) : null;
      if (early != null) {
        all.add(0, early);
      }
      List<EpochRecord> history = new ArrayList<>(trainer.run(state, job.training().epochs(), all, from.stop()));
      int lastEpoch = state.epochsDone;
      if (from.stop() != null && from.stop().requested() && state.epochsDone < job.training().epochs()
          && (early == null || early.stoppedEpoch() == 0)) {
        return new Result(model, params, state.optimizer, history, null, null, null, (System.nanoTime() - start) / 1e9,
            0, lastEpoch, state, true);
      }
      if (early != null) {
        early.restore(params);
      }
      Metrics m = engine.metrics();
      Map<String, Double> train = m.finish(engine.evaluate(Split.TRAIN, params));
      Map<String, Double> val = hasValidation ? m.finish(engine.evaluate(Split.VALIDATION, params)) : null;
      Map<String, Double> test = hasTest ? m.finish(engine.evaluate(Split.TEST, params)) : null;
      return new Result(model, params, state.optimizer, history, train, val, test, (System.nanoTime() - start) / 1e9,
          early == null ? 0 : early.stoppedEpoch(), early == null ? lastEpoch : early.keptEpoch(lastEpoch), state,
          false);
    }
  }
}
