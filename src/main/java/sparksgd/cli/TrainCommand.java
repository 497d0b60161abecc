package sparksgd.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sparksgd.data.Split;
import sparksgd.data.TrainingData;
import sparksgd.data.TrainingDataLoader;
import sparksgd.engine.SparkSessions;
import sparksgd.job.JobSpec;
import sparksgd.report.HistoryCsv;
import sparksgd.report.RunFolder;
import sparksgd.store.CheckpointStore;
import sparksgd.store.RunLock;
import sparksgd.train.Checkpointer;
import sparksgd.train.Components;
import sparksgd.train.EpochListener;
import sparksgd.train.EpochRecord;
import sparksgd.train.ProgressPrinter;
import sparksgd.train.StopSignal;
import sparksgd.train.TrainedModel;
import sparksgd.train.TrainingRun;

/** {@code train <job.conf>}: trains a job and writes its run folder; {@code --resume} continues one. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train the model a job file describes and write its run folder.")
final class TrainCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "JOB", description = "HOCON job file (local path or Hadoop URI).")
  String jobFile;

  @Mixin
  JobOptions jobOptions;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Output folder (local path or Hadoop URI). Default: runs/<job>-<time>.")
  String out;

  @Option(names = "--overwrite", description = "Allow writing into a non-empty output folder.")
  boolean overwrite;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--resume", description = "Continue the run in --out from its newest valid checkpoint "
      + "(training.epochs may be raised; other training settings must be unchanged).")
  boolean resume;

  @Option(names = "--auto-resume", description = "Continue the run in --out from its newest checkpoint if it has "
      + "one, else start it there: for submissions that are retried (YARN attempts, Kubernetes restarts, "
      + "standalone --supervise).")
  boolean autoResume;

  @Override
  public Integer call() {
    JobSpec job = jobOptions.load(jobFile);
    if (autoResume && (out == null || resume || overwrite)) {
      throw new UserFacingException(ExitCodes.USAGE, "--auto-resume needs --out, and excludes --resume and --overwrite");
    }
    if (resume && out == null) {
      throw new UserFacingException(ExitCodes.USAGE, "--resume needs --out: the run folder to continue");
    }
    if (resume && overwrite) {
      throw new UserFacingException(ExitCodes.USAGE, "--resume and --overwrite contradict each other");
    }
    PrintStream progress = System.out;
    String outDir = out != null ? out : RunFolder.defaultFolder(job.name());
    SparkSession spark = SparkSessions.create(job.spark(), jobOptions.master);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration conf = jsc.hadoopConfiguration();
    if (autoResume) {
      decideAutoResume(job, outDir, conf, progress);
    }
    if (!resume) {
      RunFolder.checkUsable(outDir, conf, overwrite);
    } else if (!sparksgd.store.HadoopFiles.exists(conf, new Path(outDir))) {
      throw new UserFacingException(ExitCodes.USAGE, "nothing to resume: " + outDir + " does not exist");
    }
    long loadStart = System.nanoTime();
    // A warm start with data.stats-from = model caches raw rows and normalizes them with the model's statistics.
    try (TrainingData data = TrainingDataLoader.forJob(jsc, job, !job.model().usesModelStats())) {
      long rows = data.rows(Split.TRAIN) + data.rows(Split.VALIDATION) + data.rows(Split.TEST);
      progress.printf(Locale.ROOT, "spark-sgd: %d training, %d validation, %d test rows, %d features, %d partitions; "
          + "model %s; read, validated and cached in %.1fs: %.1f MB cached for %.1f MB of raw doubles%n",
          data.rows(Split.TRAIN), data.rows(Split.VALIDATION), data.rows(Split.TEST), data.features(),
          data.numPartitions(), job.model().type(), (System.nanoTime() - loadStart) / 1e9, data.cachedBytes / 1e6,
          8.0 * rows * (data.features() + 1) / 1e6);
      RunFolder run = RunFolder.create(outDir, conf, overwrite || resume);
      try (RunLock lock = RunLock.acquire(conf, run.uri(), this::warn)) {
        // Only under the lock: half-published folders of a crashed run are repaired or removed.
        sparksgd.store.HadoopFiles.cleanupLeftovers(conf, run.path());
        return train(jsc, job, data, run, lock, progress);
      }
    }
  }

  /**
   * Resume when the run has a checkpoint; restart over an earlier attempt of the same job that died
   * before its first checkpoint; anything else in the folder is refused as usual.
   */
  private void decideAutoResume(JobSpec job, String outDir, Configuration conf, PrintStream progress) {
    if (!new CheckpointStore(conf, checkpointDir(job, new Path(outDir))).list().isEmpty()) {
      resume = true;
      progress.println("auto-resume: continuing the run in " + outDir);
      return;
    }
    Path saved = new Path(outDir, "job.conf");
    if (sparksgd.store.HadoopFiles.exists(conf, saved)) {
      String text = new String(sparksgd.store.HadoopFiles.readAllBytes(conf, saved, 16L << 20),
          java.nio.charset.StandardCharsets.UTF_8);
      // The same settings a checkpoint's resume accepts: such a folder is this run's own earlier attempt.
      List<String> diff = sparksgd.job.JobLoader.differingKeys(text, job.resolvedHocon(), Checkpointer.RESUMABLE);
      if (diff.isEmpty()) {
        overwrite = true;
        progress.println("auto-resume: no checkpoint yet in " + outDir + "; starting the run again");
        return;
      }
      throw new UserFacingException(ExitCodes.USAGE, "--auto-resume: " + outDir + " holds a run of another job "
          + "(differing: " + String.join(", ", diff) + ")");
    }
  }

  /** checkpoint.dir, or {@code <run folder>/checkpoints}. */
  private static String checkpointDir(JobSpec job, Path runFolder) {
    return job.checkpoint().dir() != null ? job.checkpoint().dir() : new Path(runFolder, "checkpoints").toString();
  }

  private int train(JavaSparkContext jsc, JobSpec job, TrainingData data, RunFolder run, RunLock lock,
      PrintStream progress) {
    String ckptDir = checkpointDir(job, run.path());
    CheckpointStore store = new CheckpointStore(jsc.hadoopConfiguration(), ckptDir);
    store.cleanupLeftovers();
    // issue 22: model.init-from (fresh optimizer state; its statistics unless data.stats-from = data)
    TrainedModel warm = job.model().initFrom() == null ? null
        : sparksgd.train.WarmStart.load(jsc.hadoopConfiguration(), job.model().initFrom());
    sparksgd.data.FeatureStats stats = job.model().usesModelStats() ? warm.stats() : data.stats;
    Checkpointer checkpointer = new Checkpointer(store, job, stats);
    String metric = job.model().classification() ? "accuracy" : "mae";
    List<EpochRecord> earlier = List.of();
    TrainingRun.Start start = TrainingRun.Start.fresh();
    StopSignal stop = new StopSignal();
    if (resume) {
      Optional<Checkpointer.Restored> restored = Checkpointer.restore(store, job, stats,
          Components.model(job.model(), data.features(),
              Components.classes(job.model(), data.stats.max()[data.features()])).numParams(),
          this::warn);
      if (restored.isEmpty()) {
        throw new UserFacingException(ExitCodes.USAGE, "no valid checkpoint to resume from in " + ckptDir);
      }
      Checkpointer.Restored r = restored.get();
      store.deleteNewerThan(r.state().globalStep); // damaged newer ones would otherwise linger
      earlier = HistoryCsv.parse(r.historyCsv());
      progress.printf(Locale.ROOT, "resuming from %s (epoch %d, step %d)%n", r.checkpoint(), r.state().epochsDone + 1,
          r.state().stepInEpoch);
      start = new TrainingRun.Start(m -> r.state(), stop);
    } else {
      start = new TrainingRun.Start(warm == null ? null
          : sparksgd.train.WarmStart.initial(job, warm, data.featureNames), stop);
      run.writeJobAndStats(job, stats);
    }
    List<EpochListener> listeners = new ArrayList<>();
    listeners.add(new ProgressPrinter(progress, job.training().epochs(), metric));
    listeners.add(run.historyWriter(metric, earlier, checkpointer));
    listeners.add(checkpointer);
    try (StopSignal.Registration onShutdown = stop.stopOnShutdown()) {
      TrainingRun.Result result = TrainingRun.run(jsc, job, data, listeners, start,
          job.model().usesModelStats() ? stats : null);
      if (result.interrupted()) {
        String name = checkpointer.save(result.state());
        spec.commandLine().getErr().printf(Locale.ROOT, "interrupted: checkpoint %s written at epoch %d, step %d; continue with "
            + "train --resume --out %s%n", name, result.state().epochsDone + 1, result.state().stepInEpoch, run.uri());
        return ExitCodes.INTERRUPTED;
      }
      lock.checkHeld();
      TrainedModel trained = new TrainedModel(result.model(), Components.loss(job.model()), result.params(),
          stats, data.featureNames, data.label);
      run.writeModel(trained, provenance(job, result));
      run.writeMetrics(metricsBySplit(result), run.history().size(), result.seconds(),
          Map.of("stopped_epoch", result.stoppedEpoch(), "kept_epoch", result.keptEpoch()));
      writeReport(job, data, run, result, trained, metric, job.model().usesModelStats());
      printSummary(progress, result, run.uri());
      return ExitCodes.OK;
    }
  }

  /**
   * report.html and its charts; the prediction charts use at most 20,000 test rows. {@code rawRows}:
   * the cached blocks hold raw values (a sweep's shared data).
   */
  static void writeReport(JobSpec job, TrainingData data, RunFolder run, TrainingRun.Result result,
      TrainedModel trained, String metric, boolean rawRows) {
    double[][] pa = job.model().classification() || data.rows(Split.TEST) == 0 ? null
        : sparksgd.train.TestPredictions.of(data, trained, Split.TEST, 20_000, rawRows);
    sparksgd.report.RunReport.builder("spark-sgd: " + job.name())
        .history(run.history())
        .metric(metric)
        .lossLabel(job.model().loss() + " loss")
        .testPredictions(pa == null ? null : pa[0], pa == null ? null : pa[1])
        .metrics(metricsBySplit(result))
        .jobText(job.resolvedHocon())
        .keptEpoch(result.stoppedEpoch() > 0 ? result.keptEpoch() : 0)
        .build()
        .forEach(run::writeBytes);
  }

  private void warn(String message) {
    spec.commandLine().getErr().println("warning: " + message);
    spec.commandLine().getErr().flush();
  }

  static Map<String, Object> provenance(JobSpec job, TrainingRun.Result r) {
    Map<String, Object> p = new java.util.LinkedHashMap<>();
    String version = Main.class.getPackage().getImplementationVersion();
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

  static Map<String, Map<String, Double>> metricsBySplit(TrainingRun.Result r) {
    Map<String, Map<String, Double>> m = new java.util.LinkedHashMap<>();
    m.put("train", r.train());
    if (r.validation() != null) {
      m.put("validation", r.validation());
    }
    if (r.test() != null) {
      m.put("test", r.test());
    }
    return m;
  }

  static void printSummary(PrintStream out, TrainingRun.Result r, String folder) {
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

  private static void line(PrintStream out, String name, Map<String, Double> m) {
    if (m.containsKey("accuracy")) {
      out.printf(Locale.ROOT, "%-10s accuracy %.4f  log loss %.4f  F1 %.4f%n", name, m.get("accuracy"),
          m.get("logloss"), m.get("f1"));
    } else {
      out.printf(Locale.ROOT, "%-10s MAE %.4f  RMSE %.4f  R2 %.4f%n", name, m.get("mae"), m.get("rmse"), m.get("r2"));
    }
  }
}
