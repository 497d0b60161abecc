package sparksgd.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import sparksgd.data.PartitionData;
import sparksgd.data.Split;
import sparksgd.data.TrainingData;
import sparksgd.engine.gang.ExchangeChoice;
import sparksgd.engine.gang.GangEngine;
import sparksgd.engine.gang.GangSettings;
import sparksgd.engine.EngineChoice;
import sparksgd.engine.JobsEngine;
import sparksgd.engine.PartitionWorker;
import sparksgd.model.Metrics;
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
   * {@link #CHUNK_ROWS} for float64; float32 chunks hold twice the rows, the same bytes, as its cached blocks
   * do ({@code TrainingDataLoader.float32Group}): a full-batch step then makes one kernel call per block.
   */
  public static int chunkRows(Model model) {
    return model.precision() == sparksgd.model.Precision.FLOAT32 ? 2 * CHUNK_ROWS : CHUNK_ROWS;
  }

  /**
   * The outcome. {@code stoppedEpoch} is 0 unless early stopping ended training; {@code keptEpoch} is the
   * epoch whose weights {@code params} hold.
   */
  public record Result(Model model, double[] params, OptimizerState optimizerState, List<EpochRecord> history,
      Map<String, Double> train, Map<String, Double> validation, Map<String, Double> test, double seconds,
      int stoppedEpoch, int keptEpoch, TrainerState state, boolean interrupted) {}

  /**
   * Where training starts ({@code initial}: a restored or in-memory state, null for fresh weights), how it
   * may be stopped, the epoch it trains until, where its time is recorded and where it announces its
   * engine: {@code untilEpoch} 0 means {@code training.epochs}; a smaller value pauses the run there (a
   * sweep's rung), and a later run from the returned state continues it bit-identically, since nothing but
   * the epoch loop's bound changes (schedules keep the job's epochs). Built from {@link #fresh()}.
   */
  public record Start(java.util.function.Function<Model, TrainerState> initial, StopSignal stop, int untilEpoch,
      Timings timings, java.io.PrintWriter out) {
    /** Fresh weights, no stop signal, every epoch, announcements on standard output. */
    public static Start fresh() {
      return new Start(null, null, 0, new Timings(), new java.io.PrintWriter(System.out, true));
    }

    /** The same start, its engine choice announced on {@code out} (a command's writer). */
    public Start printingTo(java.io.PrintWriter out) {
      return new Start(initial, stop, untilEpoch, timings, out);
    }

    /** The epoch training ends at for {@code job}. */
    public int lastEpoch(JobSpec job) {
      return untilEpoch > 0 ? Math.min(untilEpoch, job.training().epochs()) : job.training().epochs();
    }
  }

  private TrainingRun() {}

  private static String lastAnnounced;

  /** The bytes Spark holds for a cached RDD (0 when it is not cached, or not yet materialized). */
  private static long cachedBytes(JavaSparkContext jsc, JavaRDD<PartitionData> data) {
    for (org.apache.spark.storage.RDDInfo info : jsc.sc().getRDDStorageInfo()) {
      if (info.id() == data.id()) {
        return info.memSize() + info.diskSize();
      }
    }
    return 0;
  }

  /** Prints an engine or exchange choice once per distinct choice (cross-validation folds share one line). */
  private static synchronized void announce(java.io.PrintWriter out, String line) {
    if (!line.equals(lastAnnounced)) {
      lastAnnounced = line;
      out.println(line);
      out.flush();
    }
  }

  /**
   * The job's engine; with the gang engine also its exchange ({@code training.exchange}, decided here
   * for auto from {@code numParams} and announced on stdout). {@code optimizer} null: driver mode.
   */
  private static StepEngine engine(JavaSparkContext jsc, JobSpec job, JavaRDD<PartitionData> data,
      PartitionWorker worker, Optimizer optimizer, long numParams, boolean sparseRows, java.io.PrintWriter out) {
    EngineChoice engine;
    try {
      engine = EngineChoice.choose(job.training().engine().toString(), jsc.master(),
          job.training().exchange().toString(), cachedBytes(jsc, data), Runtime.getRuntime().maxMemory());
    } catch (IllegalArgumentException e) {
      throw new sparksgd.job.JobConfigException("training.engine", e.getMessage());
    }
    if (job.training().engine() == sparksgd.job.TrainingSpec.Engine.AUTO) {
      announce(out, engine.describe());
    }
    if (engine.engine().equals("jobs")) {
      return new JobsEngine(jsc, data, worker);
    }
    if (engine.engine().equals("local")) {
      // one thread for small batches, where handing a partition to another thread costs more than its math
      int threads = job.training().batchSize() >= 1024 ? Runtime.getRuntime().availableProcessors() : 1;
      return new sparksgd.engine.LocalEngine(data, worker, threads);
    }
    Optimizer taskOptimizer = null;
    if (optimizer != null) {
      ExchangeChoice choice = ExchangeChoice.choose(job.training().exchange(), numParams, data.getNumPartitions(),
          sparseRows && optimizer.updatesOnlyTouched());
      announce(out, choice.describe());
      taskOptimizer = choice.exchange().equals("allreduce") ? optimizer : null;
    }
    try {
      return new GangEngine(jsc, data, worker,
          GangSettings.defaults().withStepTimeout(job.training().stepTimeout()), taskOptimizer);
    } catch (IllegalArgumentException e) {
      throw new sparksgd.job.JobConfigException("training.partitions", e.getMessage());
    }
  }

  /** Trains the job from fresh weights on every row of data cached already normalized. */
  public static Result run(JavaSparkContext jsc, JobSpec job, TrainingData data, List<EpochListener> listeners) {
    return run(jsc, job, RunRows.normalized(data), listeners, Start.fresh());
  }

  /** Trains the job on {@code rows} from {@code start}. */
  public static Result run(JavaSparkContext jsc, JobSpec job, RunRows rows, List<EpochListener> listeners,
      Start start) {
    TrainingData data = rows.data();
    Model model = Components.model(job, data.features(),
        Components.classes(job.model(), data.stats.max()[data.features()]));
    // Balanced weights count every training row of the cache (not only a fold's view).
    Loss loss = ClassWeights.apply(Components.loss(job.model()), job.model().classWeights(),
        job.model().balancedClassWeights(), model.outputs() == 1 ? 2 : model.outputs(), data.partitions);
    PartitionWorker.Setup setup = new PartitionWorker.Setup(model, loss, job.training().batchSize(),
        job.training().seed(), rows.view(), chunkRows(model));
    PartitionWorker worker;
    if (rows.rawStats() == null) {
      worker = new PartitionWorker(setup, data.stats.labelShift(), data.stats.labelScale());
    } else {
      double[][] ss = sparksgd.data.FoldStats.shiftScale(rows.rawStats());
      worker = PartitionWorker.normalizing(setup, ss[0], ss[1]);
    }
    return run(jsc, job, rows, model, worker, listeners, start);
  }

  private static Result run(JavaSparkContext jsc, JobSpec job, RunRows rows, Model model, PartitionWorker worker,
      List<EpochListener> listeners, Start from) {
    java.util.Set<Split> scored = rows.scoredSplits();
    long start = System.nanoTime();
    Optimizer optimizer = sparksgd.optim.RoundingOptimizer.at(Components.optimizer(job.optimizer(), model.layout()),
        model.precision());
    TrainerState state;
    if (from.initial() != null) {
      state = from.initial().apply(model);
    } else {
      double[] fresh = new double[model.numParams()];
      model.init(fresh, job.training().seed());
      state = new TrainerState(fresh, optimizer.initialise(fresh.length), 0, 0);
    }
    double[] params = state.params;
    Timings timings = from.timings();
    long engineStart = System.nanoTime();
    try (StepEngine engine = engine(jsc, job, rows.data().partitions, worker, optimizer, model.numParams(),
        rows.data().sparse(), from.out())) {
      timings.add(Timings.ENGINE_START, System.nanoTime() - engineStart);
      Trainer trainer = new Trainer(engine, optimizer, Components.schedule(job), job.optimizer().learningRate(),
          rows.view().trainRows(), job.training().batchSize(), scored).timedBy(timings);
      List<EpochListener> all = new ArrayList<>(listeners);
      EarlyStopping early = job.training().earlyStopping().enabled()
          ? new EarlyStopping(job.training().earlyStopping()) : null;
      if (early != null) {
        all.add(0, early);
      }
      int until = from.lastEpoch(job);
      List<EpochRecord> history = new ArrayList<>(trainer.run(state, until, all, from.stop()));
      int lastEpoch = state.epochsDone;
      if (from.stop() != null && from.stop().requested() && state.epochsDone < until
          && (early == null || early.stoppedEpoch() == 0)) {
        return new Result(model, params, state.optimizer, history, null, null, null, (System.nanoTime() - start) / 1e9,
            0, lastEpoch, state, true);
      }
      if (early != null) {
        early.restore(params);
      }
      Metrics m = engine.metrics();
      long evalStart = System.nanoTime();
      Map<String, Double> train = m.finish(engine.evaluate(Split.TRAIN, params));
      Map<String, Double> val = scored.contains(Split.VALIDATION) ? m.finish(engine.evaluate(Split.VALIDATION, params)) : null;
      Map<String, Double> test = scored.contains(Split.TEST) ? m.finish(engine.evaluate(Split.TEST, params)) : null;
      timings.add(Timings.EVALUATION, System.nanoTime() - evalStart);
      return new Result(model, params, state.optimizer, history, train, val, test, (System.nanoTime() - start) / 1e9,
          early == null ? 0 : early.stoppedEpoch(), early == null ? lastEpoch : early.keptEpoch(lastEpoch), state,
          false);
    }
  }
}
