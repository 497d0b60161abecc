package sparksgd.cli;

import java.io.PrintWriter;
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
import sparksgd.train.HistoryCsv;
import sparksgd.store.RunFolder;
import sparksgd.store.RunFolderClaim;
import sparksgd.store.CheckpointStore;
import sparksgd.store.RunLock;
import sparksgd.train.BackgroundWriter;
import sparksgd.train.Checkpointer;
import sparksgd.train.Components;
import sparksgd.train.EpochListener;
import sparksgd.train.EpochRecord;
import sparksgd.train.HistoryCsv;
import sparksgd.train.HistoryFile;
import sparksgd.train.Metric;
import sparksgd.train.TrainingJob;
import sparksgd.report.TrainingReport;
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

  @Option(names = "--resume", description = "Continue the run in --out from its newest valid checkpoint "
      + "(training.epochs may be raised; other training settings must be unchanged).")
  boolean resume;

  @Option(names = "--auto-resume", description = "Continue the run in --out from its newest checkpoint if it has "
      + "one, else start it there: for submissions that are retried (YARN attempts, Kubernetes restarts, "
      + "standalone --supervise).")
  boolean autoResume;

  @Option(names = "--save-splits", description = "Also write the run's test (and validation) rows as the input "
      + "had them, to splits/test.csv (splits/validation.csv) in the run folder, so that evaluate reproduces the "
      + "run's test metrics. Text inputs only.")
  boolean saveSplits;

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
    PrintWriter progress = jobOptions.out();
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
    JavaSparkContext jsc = SparkSessions.context(job.spark(), jobOptions.master);
    timings.add(Timings.SPARK_START, System.nanoTime() - sparkStart);
    Configuration conf = jsc.hadoopConfiguration();
    Mode mode = autoResume ? decideAutoResume(job, outDir, conf, progress) : new Mode(resume, overwrite);
    if (!mode.resume()) {
      RunFolderClaim.checkUsable(conf, outDir, job.checkpoint().dir(), mode.overwrite());
    } else if (!sparksgd.store.HadoopFiles.exists(conf, new Path(outDir))) {
      throw new UserFacingException(ExitCodes.USAGE, "nothing to resume: " + outDir + " does not exist");
    }
    long loadStart = System.nanoTime();
    // A warm start with data.stats-from = model caches raw rows and normalizes them with the model's statistics.
    try (TrainingData data = loadWithProgress(jsc, job, cachedRows(job), progress)) {
      long rows = data.rows(Split.TRAIN) + data.rows(Split.VALIDATION) + data.rows(Split.TEST);
      timings.add(Timings.DATA, System.nanoTime() - loadStart);
      progress.printf(Locale.ROOT, "spark-sgd: %d training, %d validation, %d test rows, %d features, %d partitions; "
          + "model %s; read, validated and cached in %.1fs: %.1f MB cached for %.1f MB of raw doubles (%s %s blocks)%n",
          data.rows(Split.TRAIN), data.rows(Split.VALIDATION), data.rows(Split.TEST), data.features(),
          data.numPartitions(), job.model().type(), (System.nanoTime() - loadStart) / 1e9, data.cachedBytes / 1e6,
          8.0 * rows * (data.features() + 1) / 1e6, data.stats.centered() ? "dense" : "sparse",
          job.training().precision());
      if (data.encoding != null) {
        progress.println("spark-sgd: " + data.encoding.describe());
      }
      if (sparksgd.engine.EngineChoice.choose(job.training().engine().toString(), jsc.master(),
          job.training().exchange().toString(), data.cachedBytes, Runtime.getRuntime().maxMemory())
          .engine().equals("gang")) {
        checkSlots(jsc, job); // a configuration error: found before the output folder is touched
      }
      try (RunFolderClaim claim = RunFolderClaim.take(conf, outDir, job.checkpoint().dir(), mode.overwrite(),
          mode.resume(), jobOptions::warn)) {
        return train(new Session(jsc, job, data, claim, progress, mode.resume()));
      }
    }
  }

  /**
   * Resume when the run has a checkpoint; restart over an earlier attempt of the same job that died
   * before its first checkpoint; anything else in the folder is refused as usual.
   */
  private Mode decideAutoResume(JobSpec job, String outDir, Configuration conf, PrintWriter progress) {
    if (!new CheckpointStore(conf, checkpointDir(job, new Path(outDir))).list().isEmpty()) {
      progress.println("auto-resume: continuing the run in " + outDir);
      return new Mode(true, false);
    }
    Path saved = new Path(outDir, "job.conf");
    if (sparksgd.store.HadoopFiles.exists(conf, saved)) {
      String text = new String(sparksgd.store.HadoopFiles.readAllBytes(conf, saved, 16L << 20),
          java.nio.charset.StandardCharsets.UTF_8);
      // The same settings a checkpoint's resume accepts: such a folder is this run's own earlier attempt.
      List<String> diff = sparksgd.job.JobLoader.differingKeys(text, job.resolvedHocon(), Checkpointer.RESUMABLE);
      if (diff.isEmpty()) {
        progress.println("auto-resume: no checkpoint yet in " + outDir + "; starting the run again");
        return new Mode(false, true);
      }
      throw new UserFacingException(ExitCodes.USAGE, "--auto-resume: " + outDir + " holds a run of another job "
          + "(differing: " + String.join(", ", diff) + ")");
    }
    return new Mode(false, false);
  }

  /** Whether this run continues its folder's run, or may replace what the folder holds (the options stay as given). */
  record Mode(boolean resume, boolean overwrite) {}

  /** One training's context: Spark, the job and its cached data, the claimed folder, where progress goes. */
  private record Session(JavaSparkContext jsc, JobSpec job, TrainingData data, RunFolderClaim claim,
      PrintWriter progress, boolean resume) {}

  /** The run's checkpoints, starting point and statistics, once its folder is claimed. */
  private record Run(CheckpointStore store, String ckptDir, Checkpointer checkpointer, BackgroundWriter historyWrites,
      TrainedModel warm, sparksgd.data.FeatureStats stats) {}

  /** Rows cached raw when the model's own statistics normalize them (a warm start's data.stats-from = model). */
  private static sparksgd.data.CachedRows cachedRows(JobSpec job) {
    return job.model().usesModelStats() ? sparksgd.data.CachedRows.RAW : sparksgd.data.CachedRows.NORMALIZED;
  }

  /** Loads the job's data, printing a progress line every 5 s while Spark reads, validates and caches it. */
  static TrainingData loadWithProgress(JavaSparkContext jsc, JobSpec job, sparksgd.data.CachedRows rows,
      PrintWriter out) {
    long bytes = inputBytes(jsc.hadoopConfiguration(), job);
    if (bytes == 0) { // built-in data sets: small, and read without Hadoop's input metrics
      return TrainingDataLoader.forJob(jsc, job, rows);
    }
    try (sparksgd.engine.SparkProgress p = sparksgd.engine.SparkProgress.reading(jsc.sc(),
        "reading, validating and caching " + job.data().train(), out, bytes)) {
      return TrainingDataLoader.forJob(jsc, job, rows);
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

  private int train(Session session) {
    JobSpec job = session.job();
    TrainingData data = session.data();
    String ckptDir = checkpointDir(job, session.claim().folder().path());
    CheckpointStore store = new CheckpointStore(session.jsc().hadoopConfiguration(), ckptDir);
    store.cleanupLeftovers();
    // model.init-from: fresh optimizer state; the model's statistics unless data.stats-from = data
    TrainedModel warm = job.model().initFrom() == null ? null
        : sparksgd.train.WarmStart.load(session.jsc().hadoopConfiguration(), job.model().initFrom());
    sparksgd.data.FeatureStats stats = job.model().usesModelStats() ? warm.stats() : data.stats;
    try (Checkpointer checkpointer = new Checkpointer(store, job, stats).inBackground(timings);
        BackgroundWriter historyWrites = new BackgroundWriter("history", timings, Timings.HISTORY_WRITES)) {
      return train(session, new Run(store, ckptDir, checkpointer, historyWrites, warm, stats));
    }
  }

  /** Where training starts (with --resume, the newest valid checkpoint) and the history.csv rows before it. */
  private TrainingRun.Start start(Session session, Run run, StopSignal stop, List<EpochRecord> earlier) {
    JobSpec job = session.job();
    if (!session.resume()) {
      return TrainingJob.start(null, run.warm() == null ? null
          : sparksgd.train.WarmStart.initial(job, run.warm(), session.data().featureNames), stop, timings);
    }
    Checkpointer.Restored r = TrainingJob.restore(run.store(), job, run.stats(), session.data(), jobOptions::warn)
        .orElseThrow(() -> new UserFacingException(ExitCodes.USAGE, "no valid checkpoint to resume from in "
            + run.ckptDir()));
    run.store().deleteNewerThan(r.state().globalStep); // damaged newer ones would otherwise linger
    earlier.addAll(HistoryCsv.parse(r.historyCsv()));
    session.progress().printf(Locale.ROOT, "resuming from %s (epoch %d, step %d)%n", r.checkpoint(),
        r.state().epochsDone + 1, r.state().stepInEpoch);
    return TrainingJob.start(r, null, stop, timings);
  }

  private int train(Session session, Run run) {
    JobSpec job = session.job();
    RunFolderClaim claim = session.claim();
    RunFolder folder = claim.folder();
    Metric metric = Metric.headline(job.model());
    StopSignal stop = new StopSignal();
    List<EpochRecord> earlier = new ArrayList<>();
    TrainingRun.Start start = start(session, run, stop, earlier).printingTo(session.progress());
    // A new run writes its first file (and removes an overwritten run) only once its first epoch is trained.
    Runnable firstFiles = () -> {
      folder.writeJobAndStats(job, run.stats());
      if (session.data().encoding != null) { // data.categorical: the vocabulary beside stats.json
        folder.writeBytes(sparksgd.data.CategoricalEncoder.FILE,
            sparksgd.train.CategoricalFiles.bytes(session.data().encoding));
      }
    };
    List<EpochListener> listeners = new ArrayList<>();
    listeners.add((record, state) -> { // before any listener that writes
      claim.start(firstFiles);
      return true;
    });
    listeners.add(new ProgressPrinter(session.progress(), job.training().epochs(), metric));
    HistoryFile history = new HistoryFile(folder, metric, earlier, run.checkpointer(), run.historyWrites());
    listeners.add(history);
    listeners.add(run.checkpointer());
    try (StopSignal.Registration onShutdown = stop.stopOnShutdown()) {
      long trainingStart = System.nanoTime();
      TrainingRun.Result result = TrainingRun.run(session.jsc(), job, sparksgd.train.RunRows.all(session.data(),
          job.model().usesModelStats() ? run.stats() : null), listeners, start);
      claim.start(firstFiles); // already done unless no epoch ran
      if (result.interrupted()) {
        run.historyWrites().drain();
        String name = run.checkpointer().save(result.state());
        jobOptions.err().printf(Locale.ROOT, "interrupted: checkpoint %s written at epoch %d, step %d; "
            + "continue with %s%n", name, result.state().epochsDone + 1, result.state().stepInEpoch,
            resumeCommand(folder.uri()));
        return ExitCodes.INTERRUPTED;
      }
      // The last checkpoint is on disk before the run counts as done.
      timings.time(Timings.CHECKPOINTS, run.checkpointer()::finish);
      timings.time(Timings.EPOCH_OUTPUT, run.historyWrites()::drain);
      timings.add(Timings.TRAINING, System.nanoTime() - trainingStart);
      claim.lock().checkHeld();
      TrainingJob.Outcome outcome = new TrainingJob.Outcome(job, session.data(), result,
          TrainingJob.trainedModel(job, result, run.stats(), session.data()), history.rows(), metric,
          cachedRows(job));
      finish(session, folder, outcome);
      return ExitCodes.OK;
    }
  }

  /** model/, the report and metrics.json with this run's timings; then the summary on the console. */
  private void finish(Session session, RunFolder folder, TrainingJob.Outcome outcome) {
    long reportStart = System.nanoTime();
    if (saveSplits) {
      SplitFiles.write(session.jsc(), outcome.job(), folder, session.progress());
    }
    String note = timeNote(session.jsc());
    TrainingJob.writeOutputs(folder, outcome, TrainingJob.provenance(outcome.job(), outcome.result()),
        TrainingReport::write, List.of(note), () -> {
          timings.add(Timings.REPORT, System.nanoTime() - reportStart);
          timings.add(Timings.TOTAL, Timings.nanosSinceJvmStart());
          Map<String, Object> extra = new java.util.LinkedHashMap<>();
          extra.put("stopped_epoch", outcome.result().stoppedEpoch());
          extra.put("kept_epoch", outcome.result().keptEpoch());
          extra.put("started", started());
          extra.put("timings", timings.toMap());
          return extra;
        });
    TrainingJob.printSummary(session.progress(), outcome.result(), folder.uri());
    session.progress().println(timings.summary());
  }

  /** The report's note on when the run happened and where its time went. */
  private String timeNote(JavaSparkContext jsc) {
    return String.format(Locale.ROOT, "Run started %s (UTC) on %s; %.1f s from the JVM's start to training's end: "
        + "Spark start %.1f s, read/validate/cache %.1f s, training %.2f s (steps %.2f s, evaluation %.2f s, "
        + "checkpoints %.2f s). metrics.json's timings add the report and the total.", started(), jsc.master(),
        Timings.nanosSinceJvmStart() / 1e9, timings.seconds(Timings.SPARK_START), timings.seconds(Timings.DATA),
        timings.seconds(Timings.TRAINING), timings.seconds(Timings.STEPS), timings.seconds(Timings.EVALUATION),
        timings.seconds(Timings.CHECKPOINTS));
  }

  /** When this run's JVM started, ISO-8601 UTC to the second. */
  static String started() {
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

}
