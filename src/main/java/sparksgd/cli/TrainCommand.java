package sparksgd.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
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
import sparksgd.report.RunFolder;
import sparksgd.train.EpochListener;
import sparksgd.train.ProgressPrinter;
import sparksgd.train.TrainingRun;

/** {@code train <job.conf>}: trains a job and writes its run folder. */
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

  @Override
  public Integer call() {
    JobSpec job = jobOptions.load(jobFile);
    PrintStream progress = System.out;
    String outDir = out != null ? out : RunFolder.defaultFolder(job.name());
    SparkSession spark = SparkSessions.create(job.spark(), jobOptions.master);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    RunFolder.checkUsable(outDir, jsc.hadoopConfiguration(), overwrite);
    try (TrainingData data = TrainingDataLoader.forJob(jsc, job, true)) {
      progress.printf(Locale.ROOT, "spark-sgd: %d training, %d validation, %d test rows, %d features, %d partitions; model %s%n",
          data.rows(Split.TRAIN), data.rows(Split.VALIDATION), data.rows(Split.TEST), data.features(),
          data.numPartitions(), job.model().type());
      RunFolder run = RunFolder.create(outDir, jsc.hadoopConfiguration(), overwrite);
      run.writeJobAndStats(job, data.stats);
      List<EpochListener> listeners = new ArrayList<>();
      String metric = job.model().classification() ? "accuracy" : "mae";
      listeners.add(new ProgressPrinter(progress, job.training().epochs(), metric));
      listeners.add(run.historyWriter(metric));
      TrainingRun.Result result = TrainingRun.run(jsc, job, data, listeners);
      run.writeModel(new sparksgd.train.TrainedModel(result.model(), sparksgd.train.Components.loss(job.model()),
          result.params(), data.stats, data.featureNames, data.label), provenance(job, result));
      run.writeMetrics(metricsBySplit(result), result.history().size(), result.seconds(),
          java.util.Map.of("stopped_epoch", result.stoppedEpoch(), "kept_epoch", result.keptEpoch()));
      printSummary(progress, result, run.uri());
    }
    return ExitCodes.OK;
  }

  static Map<String, Object> provenance(JobSpec job, TrainingRun.Result r) {
    Map<String, Object> p = new java.util.LinkedHashMap<>();
    String version = Main.class.getPackage().getImplementationVersion();
    p.put("spark-sgd", version == null ? "development" : version);
    p.put("spark", org.apache.spark.package$.MODULE$.SPARK_VERSION());
    p.put("job", job.name());
    p.put("config-sha256", job.configHash());
    p.put("engine", job.training().engine());
    p.put("epochs", r.history().size());
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
