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
import sparksgd.report.RunFolderClaim;
import sparksgd.store.CheckpointStore;
import sparksgd.store.RunLock;
import sparksgd.train.BackgroundWriter;
import sparksgd.train.Checkpointer;
import sparksgd.train.Components;
import sparksgd.train.EpochListener;
import sparksgd.train.EpochRecord;
import sparksgd.train.ProgressPrinter;
import sparksgd.train.StopSignal;
import sparksgd.train.Timings;
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

  private final Timings timings = new Timings();

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
    // Refuse what can be refused without Spark before paying for its start.
    if (resume) {
      Preflight.runToResume(outDir);
    } else if (!autoResume) {
      Preflight.outputFolder(outDir, overwrite);
    }
    Preflight.inputs(job);
    Preflight.driverMemory(job);
    long sparkStart = System.nanoTime();
    SparkSession spark = SparkSessions.create(job.spark(), jobOptions.master);
    timings.add(Timings.SPARK_START, System.nanoTime() - sparkStart);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration conf = jsc.hadoopConfiguration();
    if (autoResume) {
      decideAutoResume(job, outDir, conf, progress);
    }
    if (!resume) {
      RunFolderClaim.checkUsable(conf, outDir, job.checkpoint().dir(), overwrite);
    } else if (!sparksgd.store.HadoopFiles.exists(conf, new Path(outDir))) {
      throw new UserFacingException(ExitCodes.USAGE, "nothing to resume: " + outDir + " does not exist");
    }
    long loadStart = System.nanoTime();
    // A warm start with data.stats-from = model caches raw rows and normalizes them with the model's statistics.
    try (TrainingData data = loadWithProgress(jsc, job, !job.model().usesModelStats(), progress)) {
      long rows = data.rows(Split.TRAIN) + data.rows(Split.VALIDATION) + data.rows(Split.TEST);
      timings.add(Timings.DATA, System.nanoTime() - loadStart);
      progress.printf(Locale.ROOT, "spark-sgd: %d training, %d validation, %d test rows, %d features, %d partitions; "
          + "model %s; read, validated and cached in %.1fs: %.1f MB cached for %.1f MB of raw doubles (%s %s blocks)%n",
          data.rows(Split.TRAIN), data.rows(Split.VALIDATION), data.rows(Split.TEST), data.features(),
          data.numPartitions(), job.model().type(), (System.nanoTime() - loadStart) / 1e9, data.cachedBytes / 1e6,
          8.0 * rows * (data.features() + 1) / 1e6, data.stats.centered() ? "dense" : "sparse",
          job.training().precision());
      if (job.training().engine().equals("gang")) {
        checkSlots(jsc, job); // a configuration error: found before the output folder is touched
      }
      try (RunFolderClaim claim = RunFolderClaim.take(conf, outDir, job.checkpoint().dir(), overwrite, resume,
          this::warn)) {
        return train(jsc, job, data, claim, progress);
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

  /** Loads the job's data, printing a progress line every 5 s while Spark reads, validates and caches it. */
  static TrainingData loadWithProgress(JavaSparkContext jsc, JobSpec job, boolean normalizeRows, PrintStream out) {
    long bytes = inputBytes(jsc.hadoopConfiguration(), job);
    if (bytes == 0) { // built-in data sets: small, and read without Hadoop's input metrics
      return TrainingDataLoader.forJob(jsc, job, normalizeRows);
    }
    try (sparksgd.engine.SparkProgress p = sparksgd.engine.SparkProgress.reading(jsc.sc(),
        "reading, validating and caching " + job.data().train(), out, bytes)) {
      return TrainingDataLoader.forJob(jsc, job, normalizeRows);
    }
  }

  /** The input files' total size (0 when unknown), for the progress line's percentage. */
  private static long inputBytes(Configuration conf, JobSpec job) {
    long total = 0;
    try {
      for (String spec : new String[] {job.data().train(), job.data().test()}) {
        if (spec != null && !spec.startsWith(sparksgd.data.Source.BUILTIN)) {
          for (sparksgd.data.Source s : sparksgd.data.Source.resolve(spec, conf)) {
            total += sparksgd.store.HadoopFiles.length(conf, new Path(s.uri()));
          }
        }
      }
    } catch (RuntimeException e) {
      return 0; // the loader reports a missing file properly
    }
    return total;
  }

  /** checkpoint.dir, or {@code <run folder>/checkpoints}. */
  private static String checkpointDir(JobSpec job, Path runFolder) {
    return job.checkpoint().dir() != null ? job.checkpoint().dir() : new Path(runFolder, "checkpoints").toString();
  }

  private static void checkSlots(JavaSparkContext jsc, JobSpec job) {
    try {
      sparksgd.engine.TaskSlots.require(jsc.sc(), job.training().partitions());
    } catch (IllegalArgumentException e) {
      throw new sparksgd.job.JobConfigException("training.partitions", e.getMessage());
    }
  }

  private int train(JavaSparkContext jsc, JobSpec job, TrainingData data, RunFolderClaim claim,
      PrintStream progress) {
    RunFolder run = claim.folder();
    String ckptDir = checkpointDir(job, run.path());
    CheckpointStore store = new CheckpointStore(jsc.hadoopConfiguration(), ckptDir);
    store.cleanupLeftovers();
    // model.init-from: fresh optimizer state; the model's statistics unless data.stats-from = data
    TrainedModel warm = job.model().initFrom() == null ? null
        : sparksgd.train.WarmStart.load(jsc.hadoopConfiguration(), job.model().initFrom());
    sparksgd.data.FeatureStats stats = job.model().usesModelStats() ? warm.stats() : data.stats;
    try (Checkpointer checkpointer = new Checkpointer(store, job, stats).inBackground(timings);
        BackgroundWriter historyWrites = new BackgroundWriter("history", timings, Timings.HISTORY_WRITES)) {
      run.writeHistoryWith(historyWrites);
      return train(jsc, job, data, claim, progress, store, ckptDir, checkpointer, historyWrites, warm, stats);
    }
  }

  private int train(JavaSparkContext jsc, JobSpec job, TrainingData data, RunFolderClaim claim,
      PrintStream progress, CheckpointStore store, String ckptDir, Checkpointer checkpointer,
      BackgroundWriter historyWrites, TrainedModel warm, sparksgd.data.FeatureStats stats) {
    RunFolder run = claim.folder();
    RunLock lock = claim.lock();
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
      start = new TrainingRun.Start(m -> r.state(), stop, timings);
    } else {
      start = new TrainingRun.Start(warm == null ? null
          : sparksgd.train.WarmStart.initial(job, warm, data.featureNames), stop, timings);
    }
    // A new run writes its first file (and removes an overwritten run) only once its first epoch is trained.
    Runnable firstFiles = () -> run.writeJobAndStats(job, stats);
    List<EpochListener> listeners = new ArrayList<>();
    listeners.add(claim.startOnFirstEpoch(firstFiles));
    listeners.add(new ProgressPrinter(progress, job.training().epochs(), metric));
    listeners.add(run.historyWriter(metric, earlier, checkpointer));
    listeners.add(checkpointer);
    try (StopSignal.Registration onShutdown = stop.stopOnShutdown()) {
      long trainingStart = System.nanoTime();
      TrainingRun.Result result = TrainingRun.run(jsc, job, data, listeners, start,
          job.model().usesModelStats() ? stats : null);
      if (result.interrupted()) {
        claim.start(firstFiles);
        historyWrites.drain();
        String name = checkpointer.save(result.state());
        spec.commandLine().getErr().printf(Locale.ROOT, "interrupted: checkpoint %s written at epoch %d, step %d; continue with "
            + "%s%n", name, result.state().epochsDone + 1, result.state().stepInEpoch, resumeCommand(run.uri()));
        return ExitCodes.INTERRUPTED;
      }
      claim.start(firstFiles); // already done unless no epoch ran
      // The last checkpoint is on disk before the run counts as done.
      timings.time(Timings.CHECKPOINTS, checkpointer::finish);
      timings.time(Timings.EPOCH_OUTPUT, historyWrites::drain);
      timings.add(Timings.TRAINING, System.nanoTime() - trainingStart);
      lock.checkHeld();
      long reportStart = System.nanoTime();
      TrainedModel trained = new TrainedModel(result.model(), Components.loss(job.model()), result.params(),
          stats, data.featureNames, data.label);
      run.writeModel(trained, provenance(job, result));
      writeReport(job, data, run, result, trained, metric, job.model().usesModelStats(), List.of(String.format(Locale.ROOT,
          "Run started %s (UTC) on %s; %.1f s from the JVM's start to training's end: Spark start %.1f s, "
          + "read/validate/cache %.1f s, training %.2f s (steps %.2f s, evaluation %.2f s, checkpoints %.2f s). "
          + "metrics.json's timings add the report and the total.", started(), jsc.master(),
          Timings.nanosSinceJvmStart() / 1e9, timings.seconds(Timings.SPARK_START), timings.seconds(Timings.DATA),
          timings.seconds(Timings.TRAINING), timings.seconds(Timings.STEPS), timings.seconds(Timings.EVALUATION),
          timings.seconds(Timings.CHECKPOINTS))));
      timings.add(Timings.REPORT, System.nanoTime() - reportStart);
      timings.add(Timings.TOTAL, Timings.nanosSinceJvmStart());
      Map<String, Object> extra = new java.util.LinkedHashMap<>();
      extra.put("stopped_epoch", result.stoppedEpoch());
      extra.put("kept_epoch", result.keptEpoch());
      extra.put("started", started());
      extra.put("timings", timings.toMap());
      run.writeMetrics(metricsBySplit(result), run.history().size(), result.seconds(), extra);
      printSummary(progress, result, run.uri());
      progress.println(timings.summary());
      return ExitCodes.OK;
    }
  }

  /**
   * report.html and its charts; the prediction charts use at most 20,000 test rows. {@code rawRows}:
   * the cached blocks hold raw values (a sweep's shared data).
   */
  static void writeReport(JobSpec job, TrainingData data, RunFolder run, TrainingRun.Result result,
      TrainedModel trained, String metric, boolean rawRows) {
    writeReport(job, data, run, result, trained, metric, rawRows, List.of());
  }

  /** {@code notes}: paragraphs under the title (when the run happened, where its time went). */
  static void writeReport(JobSpec job, TrainingData data, RunFolder run, TrainingRun.Result result,
      TrainedModel trained, String metric, boolean rawRows, List<String> notes) {
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
        .notes(notes)
        .build()
        .forEach(run::writeBytes);
  }

  /** When this run's JVM started, ISO-8601 UTC to the second. */
  private static String started() {
    return java.time.Instant.ofEpochMilli(java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime())
        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  /** The whole command that continues this run: the job, its overrides and master, --out and --resume. */
  String resumeCommand(String runUri) {
    List<String> words = new ArrayList<>(List.of(Launcher.name(), "train", jobFile));
    for (String set : jobOptions.sets) {
      words.add("--set");
      words.add(set);
    }
    if (jobOptions.master != null) {
      words.add("--master");
      words.add(jobOptions.master);
    }
    words.addAll(List.of("--out", runUri, "--resume"));
    return Launcher.shellWords(words);
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
