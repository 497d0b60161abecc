package sparksgd.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
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
import sparksgd.job.JobSpec;
import sparksgd.report.CvFiles;
import sparksgd.store.RunFolder;
import sparksgd.store.RunLock;
import sparksgd.train.CrossValidation;
import sparksgd.train.CvCurves;
import sparksgd.train.EpochListener;
import sparksgd.train.EpochRecord;
import sparksgd.train.Metric;

/** {@code cv <job.conf> --folds K}: K-fold cross-validation of a job on its training rows. */
@Command(name = "cv", mixinStandardHelpOptions = true,
    description = "K-fold cross-validation on the job's training rows: per-epoch validation MAE (accuracy for "
        + "classifiers) of every fold, "
        + "mean and std, the EMA-smoothed mean and its best epoch.")
final class CvCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "JOB", description = "HOCON job file (local path or Hadoop URI).")
  String jobFile;

  @Mixin
  JobOptions jobOptions;

  @Option(names = "--folds", paramLabel = "K", description = "Number of folds (default: cv.folds).")
  Integer folds;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: runs/<job>-cv-<time>.")
  String out;

  @Option(names = "--overwrite", description = "Allow writing into a non-empty output folder.")
  boolean overwrite;

  @Override
  public Integer call() {
    JobSpec job = jobOptions.load(jobFile, forcedSettings(folds));
    Metric metric = Metric.headline(job.model());
    PrintWriter progress = jobOptions.out();
    String outDir = out != null ? out : RunFolder.defaultFolder(job.name() + "-cv");
    Preflight.outputFolder(outDir, overwrite);
    Preflight.inputs(job);
    JavaSparkContext jsc = SparkSessions.context(job.spark(), jobOptions.master);
    RunFolder.checkUsable(outDir, jsc.hadoopConfiguration(), overwrite);
    // Locked as train's run folders are: two runs writing one folder would mix their files.
    try (RunLock lock = RunLock.acquire(jsc.hadoopConfiguration(), outDir, jobOptions::warn);
        TrainingData raw = TrainCommand.loadWithProgress(jsc, job, sparksgd.data.CachedRows.RAW, progress)) {
      long n = raw.rows(Split.TRAIN);
      if (job.cv().folds() > n) {
        throw new UserFacingException(ExitCodes.USAGE, "config key 'cv.folds': must be at most the " + n
            + " training rows");
      }
      Folds f = new Folds(n, job.cv().folds(), job.training().seed(), job.cv().shuffle());
      int parallelism = job.cv().parallelism() > 0 ? job.cv().parallelism()
          : CrossValidation.autoParallelism(jsc, job.training().partitions(), f.k());
      progress.printf(Locale.ROOT, "spark-sgd cv: %d folds of %d training rows (%s), %d at a time, %d epochs%n",
          f.k(), n, f.shuffle() ? "shuffled" : "contiguous", parallelism, job.training().epochs());
      RunFolder run = RunFolder.create(outDir, jsc.hadoopConfiguration(), overwrite);
      run.writeText("job.conf", job.resolvedHocon());
      long foldsStart = System.nanoTime();
      List<CrossValidation.FoldResult> results = CrossValidation.run(job,
          new sparksgd.train.FoldTrainer(jsc, raw, f, job.data()), parallelism,
          fold -> List.of(foldProgress(progress, fold, f.k(), job.training().epochs(), metric)), progress);
      CvCurves curves = CvCurves.of(CrossValidation.curves(results), job.cv().smoothing(), job.cv().skip(), metric);
      CvFiles.write(run, job, results, curves, metric.key());
      sparksgd.report.CvReport.builder("spark-sgd: " + job.name() + ", " + f.k() + "-fold cross-validation")
          .curves(curves).metric(metric.key()).smoothing(job.cv().smoothing()).jobText(job.resolvedHocon())
          .label(sparksgd.report.LabelUnit.of(job.data().train(), job.data().label()))
          .note(String.format(Locale.ROOT, "Run started %s (UTC) on %s; %.1f s from the JVM's start to the last "
              + "fold's end, of which the %d folds (%d at a time) took %.1f s.", TrainCommand.started(), jsc.master(),
              sparksgd.train.Timings.nanosSinceJvmStart() / 1e9, f.k(), parallelism,
              (System.nanoTime() - foldsStart) / 1e9))
          .build().forEach(run::writeBytes);
      String name = metric == Metric.MAE ? "MAE" : metric.key();
      progress.printf(Locale.ROOT, "best smoothed validation %s %.4f at epoch %d (final mean %s %.4f +- %.4f)%n",
          name, curves.bestScore(), curves.bestEpoch(), name, curves.mean()[curves.mean().length - 1],
          curves.std()[curves.std().length - 1]);
      progress.println("output: " + run.uri());
    }
    return ExitCodes.OK;
  }

  /**
   * Settings cv imposes, applied after the user's --set (so they win): the held-out fold is the
   * validation set, and early stopping would make the fold curves ragged.
   */
  static List<String> forcedSettings(Integer folds) {
    List<String> forced = new java.util.ArrayList<>();
    if (folds != null) {
      forced.add("cv.folds=" + folds);
    }
    forced.add("data.validation-fraction=0");
    forced.add("training.early-stopping.metric=none");
    return forced;
  }


  private static EpochListener foldProgress(PrintWriter out, int fold, int folds, int epochs, Metric metric) {
    int every = Math.max(1, epochs / 10);
    return (EpochRecord r, sparksgd.train.TrainerState s) -> {
      if (r.epoch() % every == 0 || r.epoch() == epochs) {
        synchronized (out) {
          out.printf(Locale.ROOT, "fold %d/%d  epoch %d/%d  loss %.5g  val_%s %.4f%n", fold + 1, folds, r.epoch(),
              epochs, r.trainLoss(), metric.key(), r.validationMetric());
        }
      }
      return true;
    };
  }

}
