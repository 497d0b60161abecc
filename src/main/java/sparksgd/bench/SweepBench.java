package sparksgd.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.LabeledPoint;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import sparksgd.data.Block;
import sparksgd.data.Folds;
import sparksgd.data.PartitionData;
import sparksgd.data.Split;
import sparksgd.data.TrainingData;
import sparksgd.data.TrainingDataLoader;
import sparksgd.job.JobLoader;
import sparksgd.sweep.FoldScorer;
import sparksgd.sweep.SweepFolder;
import sparksgd.sweep.SweepRunner;
import sparksgd.sweep.SweepSpec;
import sparksgd.sweep.Trial;
import sparksgd.train.StopSignal;

/**
 * 5. An 8-trial sweep of the Boston MLP (4-fold CV each: 32 trainings) run one trial at a time and two at
 * a time, and MLlib's CrossValidator over 8 LinearRegression settings (also 32 fits) with parallelism 1
 * and 2 on the same training rows. The models differ (MLlib has no MLP regressor), so compare how each
 * tool's wall time scales with parallelism, and the cost per training, not the two totals.
 */
final class SweepBench {
  private static final String JOB = """
      data { train = "builtin:boston_housing.csv", label = MEDV, test-fraction = 0.2 }
      model { type = mlp, hidden = [64, 64] }
      optimizer { type = rmsprop, learning-rate = 0.001 }
      training { epochs = %d, batch-size = 16, partitions = 1, seed = 42 }
      """;
  private static final String SWEEP = """
      sweep { base = unused.conf, folds = 4 }
      space { optimizer.learning-rate = [0.0005, 0.001, 0.002, 0.004], model.hidden = [[64, 64], [32]] }
      """;

  private SweepBench() {}

  static ObjectNode run(JavaSparkContext jsc, SparkSession spark, ObjectMapper mapper, boolean quick) throws Exception {
    int epochs = quick ? 3 : 40;
    String jobText = String.format(Locale.ROOT, JOB, epochs);
    SweepSpec spec = SweepSpec.parse(ConfigFactory.parseString(SWEEP), new File("."));
    List<Trial> trials = new ArrayList<>();
    for (int i = 0; i < spec.combos().size(); i++) {
      List<String> o = new ArrayList<>(spec.overrides(i));
      o.add("data.validation-fraction=0");
      trials.add(new Trial(i + 1, spec.combos().get(i), JobLoader.load(jobText, null, o, true)));
    }
    ObjectNode n = mapper.createObjectNode();
    n.put("trials", trials.size());
    n.put("folds", spec.folds());
    n.put("epochs", epochs);
    File tmp = Files.createTempDirectory("spark-sgd-sweep-bench").toFile();
    try (TrainingData raw = TrainingDataLoader.forJob(jsc, trials.get(0).job(), sparksgd.data.CachedRows.RAW)) {
      long rows = raw.rows(Split.TRAIN);
      Folds folds = new Folds(rows, spec.folds(), 42, true);
      FoldScorer scorer = new FoldScorer(jsc, raw, folds, trials.get(0).job(), "mae", new StopSignal());
      if (!quick) {
        sweep(trials, scorer, tmp, 1, jsc); // warm-up: JIT and the first gang connections
      }
      double p1 = sweep(trials, scorer, tmp, 1, jsc);
      double p2 = sweep(trials, scorer, tmp, 2, jsc);
      n.put("ours_parallelism_1_s", p1);
      n.put("ours_parallelism_2_s", p2);
      n.put("ours_speedup", p1 / p2);

      Dataset<Row> df = spark.createDataFrame(points(raw), LabeledPoint.class).cache();
      df.count();
      if (!quick) {
        crossValidator(df, 1, false); // warm-up
      }
      double m1 = crossValidator(df, 1, quick);
      double m2 = crossValidator(df, 2, quick);
      df.unpersist(true);
      n.put("mllib_cv_parallelism_1_s", m1);
      n.put("mllib_cv_parallelism_2_s", m2);
      n.put("mllib_speedup", m1 / m2);
      System.out.printf(Locale.ROOT, "%n5. Sweep: %d trials x %d folds = %d trainings on %d Boston training rows%n"
          + "   ours, MLP 64-64 RMSprop, %d epochs:  parallelism 1 %6.1f s   parallelism 2 %6.1f s   speed-up %.2fx%n"
          + "   MLlib CrossValidator, LinearRegression (8 regParam values, L-BFGS / normal equations):%n"
          + "                                        parallelism 1 %6.1f s   parallelism 2 %6.1f s   speed-up %.2fx%n",
          trials.size(), spec.folds(), trials.size() * spec.folds(), rows, epochs, p1, p2, p1 / p2, m1, m2, m1 / m2);
    } finally {
      org.apache.commons.io.FileUtils.deleteQuietly(tmp);
    }
    n.set("asha", AshaBench.run(jsc, mapper, quick));
    return n;
  }

  private static double sweep(List<Trial> trials, FoldScorer scorer, File tmp, int parallelism, JavaSparkContext jsc) {
    String dir = new File(tmp, "p" + parallelism + "-" + System.nanoTime()).getPath();
    var identity = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("hash", dir);
    SweepFolder folder = SweepFolder.open(dir, jsc.hadoopConfiguration(), identity, false);
    long t0 = System.nanoTime();
    SweepRunner.Outcome o = SweepRunner.run(trials, scorer, folder, parallelism, false, r -> { });
    if (o.results().stream().anyMatch(r -> !r.finished())) {
      throw new IllegalStateException("a benchmark trial did not finish: " + o.results());
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static List<LabeledPoint> points(TrainingData raw) {
    List<LabeledPoint> out = new ArrayList<>();
    for (PartitionData pd : raw.partitions.collect()) {
      for (Block b : pd.blocks(Split.TRAIN)) {
        for (int r = 0; r < b.rows; r++) {
          double[] x = java.util.Arrays.copyOfRange(b.x, r * b.cols, (r + 1) * b.cols);
          out.add(new LabeledPoint(b.y[r], Vectors.dense(x)));
        }
      }
    }
    return out;
  }

  /** {@code quick}: 2 settings x 2 folds, a smoke run of the code path only. */
  private static double crossValidator(Dataset<Row> df, int parallelism, boolean quick) {
    LinearRegression lr = new LinearRegression().setMaxIter(100);
    double[] regParams = quick ? new double[] {0, 0.1} : new double[] {0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1};
    ParamMap[] grid = new ParamGridBuilder().addGrid(lr.regParam(), regParams).build();
    CrossValidator cv = new CrossValidator().setEstimator(lr).setEstimatorParamMaps(grid)
        .setEvaluator(new RegressionEvaluator().setMetricName("mae")).setNumFolds(quick ? 2 : 4)
        .setParallelism(parallelism)
        .setSeed(42);
    long t0 = System.nanoTime();
    cv.fit(df);
    return (System.nanoTime() - t0) / 1e9;
  }
}
