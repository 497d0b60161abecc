package sparksgd.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.data.Split;
import sparksgd.data.SyntheticRows;
import sparksgd.data.TrainingData;
import sparksgd.data.TrainingDataLoader;
import sparksgd.job.JobLoader;
import sparksgd.job.JobSpec;
import sparksgd.testing.SparkTest;

/**
 * Lasso by proximal full-batch SGD on generated linear data: 1,000 N(0, 1) features, 20 of them with
 * nonzero weights (+-1 to 3), label noise 1, 800 training and 200 test rows. The model keeps >= 90 % of the
 * true nonzeros and <= 5 % of the rest, and its test MSE is no worse than the unpenalized model's.
 * MLlib's LinearRegression (same regParam, elasticNetParam = 1) on the same rows is printed for the README.
 */
@SparkTest
class L1SupportTest {
  static final int D = 1000;
  static final int K = 20;
  static SparkSession spark;
  static JavaSparkContext jsc;
  @TempDir
  static Path dir;
  static boolean[] truth = new boolean[D];

  @BeforeAll
  static void start() throws IOException {
    double[] w = new double[D];
    SplittableRandom r = new SplittableRandom(5);
    for (int placed = 0; placed < K; ) {
      int j = r.nextInt(D);
      if (!truth[j]) {
        truth[j] = true;
        w[j] = (r.nextBoolean() ? 1 : -1) * r.nextDouble(1, 3);
        placed++;
      }
    }
    SyntheticRows rows = SyntheticRows.linear(9, D, w, 0.5, 1.0);
    write(dir.resolve("train.csv"), rows, 0, 800);
    write(dir.resolve("test.csv"), rows, 800, 1000);
  }

  private static void write(Path file, SyntheticRows rows, int from, int to) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file)) {
      StringBuilder h = new StringBuilder();
      for (int j = 0; j < D; j++) {
        h.append('x').append(j).append(',');
      }
      out.write(h.append("y\n").toString());
      for (int i = from; i < to; i++) {
        double[] v = rows.row(i);
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j <= D; j++) {
          sb.append(j == 0 ? "" : ",").append(v[j]);
        }
        out.write(sb.append('\n').toString());
      }
    }
  }

  private static TrainingRun.Result train(double l1) {
    JobSpec job = JobLoader.load(null, "l1", List.of("data.train=\"" + dir.resolve("train.csv") + "\"",
        "data.test=\"" + dir.resolve("test.csv") + "\"", "data.label=y", "optimizer.type=sgd",
        "optimizer.learning-rate=0.1", "optimizer.l1=" + l1, "training.epochs=150", "training.batch-size=800",
        "training.partitions=1", "training.engine=jobs"));
    try (TrainingData data = TrainingDataLoader.forJob(jsc, job, sparksgd.data.CachedRows.NORMALIZED)) {
      return TrainingRun.run(jsc, job, data, List.of());
    }
  }

  @Test
  void lassoRecoversTheSupport() {
    double lambda = 0.3;
    TrainingRun.Result lasso = train(lambda);
    TrainingRun.Result plain = train(0);
    int kept = 0;
    int spurious = 0;
    for (int j = 0; j < D; j++) {
      boolean nonzero = lasso.params()[j] != 0.0;
      kept += truth[j] && nonzero ? 1 : 0;
      spurious += !truth[j] && nonzero ? 1 : 0;
    }
    double mseL1 = lasso.test().get("mse");
    double msePlain = plain.test().get("mse");

    Dataset<Row> tr = assemble(dir.resolve("train.csv"));
    Dataset<Row> te = assemble(dir.resolve("test.csv"));
    LinearRegressionModel mllib = new LinearRegression().setLabelCol("y").setRegParam(lambda).setElasticNetParam(1.0)
        .fit(tr);
    double[] coef = mllib.coefficients().toArray();
    int mlKept = 0;
    int mlSpurious = 0;
    for (int j = 0; j < D; j++) {
      mlKept += truth[j] && coef[j] != 0 ? 1 : 0;
      mlSpurious += !truth[j] && coef[j] != 0 ? 1 : 0;
    }
    double mlMse = Math.pow(mllib.evaluate(te).rootMeanSquaredError(), 2);
    System.out.printf("l1 %.2f: spark-sgd keeps %d/%d true, %d/%d spurious nonzero, test MSE %.4f (unpenalized %.4f); "
        + "MLlib LinearRegression (regParam %.2f, elasticNetParam 1): %d/%d true, %d/%d spurious, test MSE %.4f%n",
        lambda, kept, K, spurious, D - K, mseL1, msePlain, lambda, mlKept, K, mlSpurious, D - K, mlMse);
    assertTrue(kept >= 0.9 * K, kept + " of " + K + " true nonzeros kept");
    assertTrue(spurious <= 0.05 * (D - K), spurious + " of " + (D - K) + " zero weights nonzero");
    assertTrue(mseL1 <= msePlain, "test MSE " + mseL1 + " vs unpenalized " + msePlain);
  }

  private static Dataset<Row> assemble(Path csv) {
    Dataset<Row> df = spark.read().option("header", true).option("inferSchema", true).csv(csv.toString());
    List<String> xs = new ArrayList<>();
    for (int j = 0; j < D; j++) {
      xs.add("x" + j);
    }
    return new VectorAssembler().setInputCols(xs.toArray(new String[0])).setOutputCol("features").transform(df)
        .select("features", "y");
  }
}
