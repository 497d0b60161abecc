package sparksgd.cli;

import java.io.File;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sparksgd.data.Folds;
import sparksgd.data.Split;
import sparksgd.data.TrainingData;
import sparksgd.data.TrainingDataLoader;
import sparksgd.engine.SparkSessions;
import sparksgd.job.JobConfigException;
import sparksgd.job.JobLoader;
import sparksgd.job.JobSpec;
import sparksgd.store.RunFolder;
import sparksgd.store.HadoopFiles;
import sparksgd.store.Json;
import sparksgd.store.RunLock;
import sparksgd.sweep.AshaRunner;
import sparksgd.sweep.FoldScorer;
import sparksgd.sweep.Leaderboard;
import sparksgd.sweep.SweepFolder;
import sparksgd.sweep.SweepReport;
import sparksgd.sweep.SweepRunner;
import sparksgd.sweep.SweepMetric;
import sparksgd.sweep.SweepSpec;
import sparksgd.sweep.Trial;
import sparksgd.sweep.TrialResult;
import sparksgd.report.TrainingReport;
import sparksgd.train.HistoryFile;
import sparksgd.train.Metric;
import sparksgd.train.TrainingJob;
import sparksgd.train.StopSignal;
import sparksgd.train.TrainingRun;

/**
 * {@code sweep <sweep.conf>}: trains every setting of a search space on one cached copy of the data,
 * ranks them by a cross-validated (or validation-split) metric, and retrains the best on all training rows.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
    description = "Hyperparameter sweep: grid or seeded random search over job keys, each trial scored by "
        + "K-fold cross-validation (or the validation split), trials run concurrently in one Spark application; "
        + "writes trials/, leaderboard.csv, leaderboard.json, best/ and report.html. Re-running into the same "
        + "--out skips finished trials. sweep.scheduler = asha stops poor trials early at rungs (asynchronous "
        + "successive halving) and continues promoted ones from their paused state.")
final class SweepCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SWEEP", description = "HOCON sweep file (sections sweep, space, fixed).")
  String sweepFile;

  @Mixin
  JobOptions jobOptions;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: runs/<sweep>-<time>. "
      + "A folder holding the same sweep is continued.")
  String out;

  @Option(names = "--overwrite", description = "Empty a folder that holds another sweep (or this one) and start over.")
  boolean overwrite;

  @Option(names = "--parallelism", paramLabel = "N", description = "Trials at once (overrides sweep.parallelism).")
  Integer parallelism;

  @Option(names = "--retry-failed", description = "Run trials recorded as failed again.")
  boolean retryFailed;

  @Override
  public Integer call() {
    if (new File(sweepFile).isFile()) {
      readText(sweepFile); // bounded: a huge file is refused before HOCON reads it whole
    }
    SweepSpec sweep = SweepSpec.parse(new File(sweepFile));
    for (String s : jobOptions.sets) {
      String key = s.contains("=") ? s.substring(0, s.indexOf('=')).trim() : s;
      if (sweep.space().keys().contains(key)) {
        throw new UserFacingException(ExitCodes.USAGE, "--set " + key + ": that key is searched by the sweep");
      }
    }
    boolean cv = sweep.folds() > 0;
    String baseText = JobOptions.readJob(sweep.baseFile());
    List<Trial> trials = trials(sweep, baseText, cv);
    JobSpec first = trials.get(0).job();
    if (!cv && first.data().validationFraction() == 0) {
      throw new JobConfigException("sweep.folds", "0 scores trials on the validation split: set "
          + "data.validation-fraction > 0 in the base job or in fixed, or use folds >= 2");
    }
    List<Integer> rungs = sweep.usesAsha() ? ashaRungs(sweep, trials) : null;
    SweepMetric metric = SweepMetric.of(sweep, first);
    String name = new File(sweepFile).getName().replaceFirst("\\.conf$", "");
    String outDir = out != null ? out : RunFolder.defaultFolder(name);

    JavaSparkContext jsc = SparkSessions.context(first.spark(), jobOptions.master);
    RunFolder.checkUsable(outDir, jsc.hadoopConfiguration(), true); // a file, or an unknown host: refused as before
    // Locked as train's run folders are: two sweeps continuing one folder would run the same trials.
    try (RunLock lock = RunLock.acquire(jsc.hadoopConfiguration(), outDir, jobOptions::warn)) {
      SweepFolder folder = SweepFolder.open(outDir, jsc.hadoopConfiguration(), SweepFolder.identity(sweep, trials),
          overwrite);
      return run(jsc, new Plan(sweep, trials, baseText, cv, rungs, metric, name), folder);
    }
  }

  /** What a sweep runs: decided, and validated, before its folder is opened. */
  private record Plan(SweepSpec sweep, List<Trial> trials, String baseText, boolean cv, List<Integer> rungs,
      SweepMetric metric, String name) {}

  private int run(JavaSparkContext jsc, Plan plan, SweepFolder folder) {
    SweepSpec sweep = plan.sweep();
    List<Trial> trials = plan.trials();
    String baseText = plan.baseText();
    boolean cv = plan.cv();
    List<Integer> rungs = plan.rungs();
    String metricKey = plan.metric().key();
    boolean maximize = plan.metric().maximize();
    String name = plan.name();
    JobSpec first = trials.get(0).job();
    PrintWriter progress = jobOptions.out();
    String sweepText = readText(sweepFile);
    folder.root().writeText("sweep.conf", sweepText);
    StopSignal stop = new StopSignal();
    long loadStart = System.nanoTime();
    try (StopSignal.Registration onShutdown = stop.stopOnShutdown();
        TrainingData raw = TrainingDataLoader.forJob(jsc, first, sparksgd.data.CachedRows.RAW)) {
      long n = raw.rows(Split.TRAIN);
      if (cv && sweep.folds() > n) {
        throw new JobConfigException("sweep.folds", "must be at most the " + n + " training rows");
      }
      Folds folds = cv ? new Folds(n, sweep.folds(), first.training().seed(), first.cv().shuffle()) : null;
      FoldScorer scorer = new FoldScorer(new sparksgd.train.FoldTrainer(jsc, raw, folds, first.data()), metricKey, stop,
          progress);
      int at = parallelism(sweep, first, jsc, trials.size(), raw.cachedBytes);
      long todo = rungs != null ? AshaRunner.pending(trials, folder)
          : SweepRunner.pending(trials, folder, retryFailed).size();
      progress.printf(Locale.ROOT, "spark-sgd sweep: %d trials (%s), %d to run, %d at a time; scored by %s %s "
          + "(%s); %d training rows cached in %.1fs%n", trials.size(), sweep.search(), todo, at,
          cv ? sweep.folds() + "-fold CV" : "the validation split", metricKey, maximize ? "maximize" : "minimize", n,
          (System.nanoTime() - loadStart) / 1e9);
      long sweepStart = System.nanoTime();
      AtomicInteger ended = new AtomicInteger();
      SweepRunner.Outcome outcome;
      if (rungs != null) {
        progress.printf(Locale.ROOT, "ASHA: rungs at %s epochs, reduction factor %d; a full sweep would train %.0f "
            + "fold-epochs%n", rungs, sweep.asha().reductionFactor(), fullEpochs(trials, sweep));
        outcome = AshaRunner.run(trials, rungs, sweep.asha().reductionFactor(), maximize, scorer, folder, at,
            retryFailed, r -> printRung(progress, r, metricKey, sweepStart));
      } else {
        outcome = SweepRunner.run(trials, scorer, folder, at, retryFailed,
            r -> printTrial(progress, r, metricKey, ended.incrementAndGet(), todo, sweepStart));
      }
      Leaderboard board = new Leaderboard(outcome.results(), metricKey, maximize);
      board.write(folder.root(), sweep.space().keys());
      if (outcome.interrupted()) {
        jobOptions.err().printf(Locale.ROOT, "interrupted: finished trials are recorded; continue with "
            + "sweep %s --out %s%n", sweepFile, folder.root().uri());
        return ExitCodes.INTERRUPTED;
      }
      Map<String, Map<String, Double>> finalMetrics = null;
      if (board.best().isPresent()) {
        TrialResult best = board.best().get();
        progress.printf(Locale.ROOT, "best: trial %d %s  %s %.4f +- %.4f%n", best.trial(), best.settings(), metricKey,
            best.score(), best.scoreStd());
        finalMetrics = trainBest(plan, trials.get(best.trial() - 1), best, scorer, folder);
        if (finalMetrics == null) {
          return ExitCodes.INTERRUPTED;
        }
      } else {
        jobOptions.err().println("warning: no trial finished; see the reasons in leaderboard.csv");
      }
      SweepReport.Asha asha = rungs == null ? null : new SweepReport.Asha(rungs, AshaRunner.curves(folder, trials),
          fullEpochs(trials, sweep));
      String timeNote = String.format(Locale.ROOT, "Sweep started %s (UTC) on %s; %.1f s from the JVM's start "
          + "to this report (trials trained in earlier runs into this folder are not counted).", TrainCommand.started(),
          jsc.master(), sparksgd.train.Timings.nanosSinceJvmStart() / 1e9);
      SweepReport.build("spark-sgd sweep: " + name, sweep, board, metricKey, maximize, finalMetrics,
          sweepText, asha, timeNote).forEach(folder.root()::writeBytes);
      if (asha != null) {
        progress.printf(Locale.ROOT, "ASHA trained %.0f fold-epochs, %.1f%% of the %.0f a full sweep of the same "
            + "space would%n", asha.epochsSpent(), 100 * asha.epochsSpent() / asha.fullEpochs(), asha.fullEpochs());
      }
      progress.println("output: " + folder.root().uri());
      return board.best().isPresent() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
  }

  /** The --set keys, then trial {@code i}'s fixed and searched keys; with CV the folds are the validation set. */
  private List<String> overrides(SweepSpec sweep, int i, boolean cv) {
    List<String> overrides = new ArrayList<>(jobOptions.sets);
    overrides.addAll(sweep.overrides(i));
    if (cv) {
      overrides.add("data.validation-fraction=0");
    }
    return overrides;
  }

  /** Every trial's job, validated before anything runs: a bad setting names its trial and key. */
  private List<Trial> trials(SweepSpec sweep, String baseText, boolean cv) {
    List<Trial> out = new ArrayList<>();
    for (int i = 0; i < sweep.combos().size(); i++) {
      try {
        out.add(new Trial(i + 1, sweep.combos().get(i),
            JobLoader.load(baseText, sweep.baseFile(), overrides(sweep, i, cv), cv)));
      } catch (JobConfigException e) {
        throw new UserFacingException(ExitCodes.USAGE, "sweep trial " + (i + 1) + " " + sweep.combos().get(i) + ": "
            + e.getMessage());
      }
    }
    return out;
  }

  /**
   * The best setting on every training row, written to {@code best/}; with CV and early stopping it
   * trains for the mean epoch its folds kept. Skipped when {@code best/} already holds this trial's model.
   */
  private Map<String, Map<String, Double>> trainBest(Plan plan, Trial trial, TrialResult best, FoldScorer scorer,
      SweepFolder folder) {
    SweepSpec sweep = plan.sweep();
    boolean cv = plan.cv();
    PrintWriter progress = jobOptions.out();
    JobSpec job = trial.job();
    boolean capped = sweep.usesAsha() && best.epochs() != null && best.epochs() < job.training().epochs();
    if ((cv && job.training().earlyStopping().enabled()) || capped) { // no held-out rows left to stop on,
      // or ASHA's max-epochs scored the trial before its training.epochs: train as long as it was scored
      List<String> overrides = overrides(sweep, trial.id() - 1, cv);
      overrides.add("training.epochs=" + Math.max(1, Math.round(best.epochs())));
      overrides.add("training.early-stopping.metric=none");
      job = JobLoader.load(plan.baseText(), sweep.baseFile(), overrides, cv);
    }
    Path bestDir = new Path(folder.root().path(), "best");
    Path marker = new Path(bestDir, "best.json");
    org.apache.hadoop.conf.Configuration conf = folder.root().conf();
    if (HadoopFiles.exists(conf, marker)) {
      var node = Json.readTree(conf, marker);
      if (node.path("config-sha256").asText().equals(job.configHash())
          && HadoopFiles.exists(conf, new Path(bestDir, "metrics.json"))) {
        progress.println("best/ already holds this setting's model");
        return readMetrics(conf, new Path(bestDir, "metrics.json"));
      }
    }
    TrainingData data = scorer.data();
    RunFolder run = RunFolder.create(bestDir.toString(), conf, true);
    run.writeJobAndStats(job, data.stats);
    Metric metric = Metric.headline(job.model());
    progress.printf(Locale.ROOT, "retraining trial %d on all %d training rows (%d epochs)%n", trial.id(),
        data.rows(Split.TRAIN), job.training().epochs());
    HistoryFile history = new HistoryFile(run, metric);
    TrainingRun.Result result = scorer.trainFinal(job, List.of(history));
    if (result.interrupted()) {
      jobOptions.err().println("interrupted while retraining the best setting; run the sweep again");
      return null;
    }
    // The shared cache holds raw rows, normalized on the fly with the statistics of all training rows.
    TrainingJob.Outcome outcome = new TrainingJob.Outcome(job, data, result,
        TrainingJob.trainedModel(job, result, data.stats, data), history.rows(), metric,
        sparksgd.data.CachedRows.RAW);
    Map<String, Object> provenance = new java.util.LinkedHashMap<>(TrainingJob.provenance(job, result));
    provenance.put("sweep-trial", trial.id());
    provenance.put("sweep-sha256", sweep.hash());
    TrainingJob.writeOutputs(run, outcome, provenance, TrainingReport::write, List.of(),
        () -> Map.of("trial", trial.id()));
    var node = Json.object();
    node.put("trial", trial.id());
    node.put("config-sha256", job.configHash());
    Json.write(conf, marker, node);
    TrainingJob.printSummary(progress, result, run.uri());
    return outcome.metricsBySplit();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Double>> readMetrics(org.apache.hadoop.conf.Configuration conf, Path p) {
    Map<String, Object> all = Json.read(conf, p, Map.class);
    Map<String, Map<String, Double>> out = new java.util.LinkedHashMap<>();
    for (String split : List.of("train", "validation", "test")) {
      if (all.get(split) instanceof Map<?, ?> m) {
        Map<String, Double> values = new java.util.LinkedHashMap<>();
        m.forEach((k, v) -> values.put(String.valueOf(k), v instanceof Number num ? num.doubleValue() : Double.NaN));
        out.put(split, values);
      }
    }
    return out;
  }

  /**
   * The ASHA rungs for these trials; refuses early stopping, whose memory of the best epoch a paused
   * trial would lose (ASHA is the early stopping here).
   */
  static List<Integer> ashaRungs(SweepSpec sweep, List<Trial> trials) {
    int largest = 0;
    for (Trial t : trials) {
      if (t.job().training().earlyStopping().enabled()) {
        throw new JobConfigException("sweep.scheduler", "asha stops trials itself and cannot be combined with "
            + "training.early-stopping (trial " + t.id() + "); set training.early-stopping.metric = none in fixed");
      }
      largest = Math.max(largest, t.job().training().epochs());
    }
    return sweep.asha().rungs(largest);
  }

  /** Fold-epochs a full sweep of these trials trains: each trial's epochs times the folds. */
  static double fullEpochs(List<Trial> trials, SweepSpec sweep) {
    return trials.stream().mapToDouble(t -> t.job().training().epochs()).sum() * Math.max(1, sweep.folds());
  }

  /**
   * Trials at once: sweep.parallelism or --parallelism, else task slots / partitions. A gang-engine trial
   * holds its partitions' slots for its whole training, so more gangs than fit would only wait for slots.
   */
  private int parallelism(SweepSpec sweep, JobSpec job, JavaSparkContext jsc, int trials, long cachedBytes) {
    int fit = Math.max(1, jsc.sc().defaultParallelism() / Math.max(1, job.training().partitions()));
    int asked = parallelism != null ? parallelism : sweep.parallelism();
    if (asked <= 0) {
      return Math.min(trials, fit);
    }
    boolean gang = sparksgd.engine.EngineChoice.choose(job.training().engine().toString(), jsc.master(),
        job.training().exchange().toString(), cachedBytes, Runtime.getRuntime().maxMemory()).engine().equals("gang");
    if (gang && asked > fit) {
      jobOptions.err().printf(Locale.ROOT, "warning: %d concurrent gang trials of %d partitions need %d "
          + "task slots; the application has %d, so %d run at once (use training.engine = jobs in fixed to share "
          + "slots step by step)%n", asked, job.training().partitions(), asked * job.training().partitions(),
          jsc.sc().defaultParallelism(), fit);
      return Math.min(trials, fit);
    }
    return Math.min(trials, asked);
  }

  private static void printTrial(PrintWriter out, TrialResult r, String metric, int ended, long todo, long start) {
    double elapsed = (System.nanoTime() - start) / 1e9;
    double eta = ended >= todo ? 0 : elapsed / ended * (todo - ended);
    synchronized (out) {
      if (r.finished()) {
        out.printf(Locale.ROOT, "trial %3d  %-8s %s %.4f +- %.4f  %5.1fs  %s  [%d/%d, ETA %.0fs]%n", r.trial(),
            r.status(), metric, r.score(), r.scoreStd(), r.seconds(), r.settings(), ended, todo, eta);
      } else {
        out.printf(Locale.ROOT, "trial %3d  %-8s %s  %s  [%d/%d, ETA %.0fs]%n", r.trial(), r.status(), r.reason(),
            r.settings(), ended, todo, eta);
      }
    }
  }

  private static void printRung(PrintWriter out, TrialResult r, String metric, long start) {
    double elapsed = (System.nanoTime() - start) / 1e9;
    synchronized (out) {
      if (r.score() != null) {
        out.printf(Locale.ROOT, "trial %3d  %-8s rung %d (%.0f epochs)  %s %.4f +- %.4f  %5.1fs  %s  [%.0fs]%n",
            r.trial(), r.status(), r.rung(), r.epochs(), metric, r.score(), r.scoreStd(), r.seconds(), r.settings(),
            elapsed);
      } else {
        out.printf(Locale.ROOT, "trial %3d  %-8s %s  %s  [%.0fs]%n", r.trial(), r.status(), r.reason(), r.settings(),
            elapsed);
      }
    }
  }


  private static String readText(String file) {
    try {
      try (java.io.InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(file))) {
        return JobOptions.readBounded(in, file);
      }
    } catch (java.io.IOException e) {
      throw new UserFacingException(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage());
    }
  }
}
