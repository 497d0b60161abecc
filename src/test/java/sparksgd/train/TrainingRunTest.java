package sparksgd.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.feature.LabeledPoint;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.data.Block;
import sparksgd.data.PartitionData;
import sparksgd.data.Split;
import sparksgd.data.TrainingData;
import sparksgd.data.TrainingDataLoader;
import sparksgd.job.JobLoader;
import sparksgd.job.JobSpec;
import sparksgd.testing.SparkTest;

@SparkTest
class TrainingRunTest {
  static SparkSession spark;
  static JavaSparkContext jsc;
  @TempDir
  static Path dir;

  static JobSpec job(String file, String... sets) throws IOException {
    return JobLoader.load(Files.readString(Path.of(file)), file, List.of(sets));
  }

  static TrainingRun.Result train(JobSpec job) {
    try (TrainingData data = TrainingDataLoader.load(jsc, job.data(), job.training().seed(), job.training().partitions())) {
      return TrainingRun.run(jsc, job, data, List.of());
    }
  }

  static void assertClose(double[] expected, double[] actual, double rel) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      double tol = rel * Math.max(1e-12, Math.max(Math.abs(expected[i]), Math.abs(actual[i])));
      assertEquals(expected[i], actual[i], Math.max(tol, 1e-12), "parameter " + i);
    }
  }

  @Test
  void partitionsDoNotChangeTheResultLinear() throws IOException {
    TrainingRun.Result one = train(job("jobs/boston-linear.conf", "training.partitions=1", "training.epochs=5"));
    TrainingRun.Result two = train(job("jobs/boston-linear.conf", "training.partitions=2", "training.epochs=5"));
    // Three partitions need three task slots with the gang engine; local[2] has two.
    TrainingRun.Result three = train(job("jobs/boston-linear.conf", "training.partitions=3", "training.epochs=5",
        "training.engine=jobs"));
    assertClose(one.params(), two.params(), 1e-9);
    assertClose(one.params(), three.params(), 1e-9);
  }

  @Test
  void partitionsDoNotChangeTheResultMlpAndSeedsAreBitIdentical() throws IOException {
    String[] common = {"training.epochs=3", "model.hidden=[16, 8]"};
    List<String> a = new ArrayList<>(List.of(common));
    a.add("training.partitions=1");
    List<String> b = new ArrayList<>(List.of(common));
    b.add("training.partitions=2");
    TrainingRun.Result one = train(job("jobs/boston-mlp.conf", a.toArray(new String[0])));
    TrainingRun.Result two = train(job("jobs/boston-mlp.conf", b.toArray(new String[0])));
    TrainingRun.Result again = train(job("jobs/boston-mlp.conf", b.toArray(new String[0])));
    assertClose(one.params(), two.params(), 1e-9);
    assertArrayEquals(two.params(), again.params()); // bit-identical: same seed, same partitions
  }

  @Test
  void recoversTheCourseSyntheticLinearModel() throws IOException {
    Random rnd = new Random(1);
    StringBuilder sb = new StringBuilder("x1,x2,y\n");
    for (int i = 0; i < 1000; i++) {
      double x1 = rnd.nextGaussian();
      double x2 = rnd.nextGaussian();
      sb.append(x1).append(',').append(x2).append(',').append(2 * x1 - 3.4 * x2 + 4.2 + 0.01 * rnd.nextGaussian()).append('\n');
    }
    Path f = dir.resolve("synthetic.csv");
    Files.writeString(f, sb);
    JobSpec job = JobLoader.load("", "synthetic.conf", List.of("data.train=\"" + f + "\"", "data.label=y",
        "data.normalize=none", "data.test-fraction=0", "optimizer.learning-rate=0.03", "training.epochs=10",
        "training.batch-size=10"));
    double[] p = train(job).params();
    assertEquals(2.0, p[0], 0.01);
    assertEquals(-3.4, p[1], 0.01);
    assertEquals(4.2, p[2], 0.01);
  }

  @Test
  void linearJobIsWithinOnePercentOfTheLeastSquaresOptimum() throws IOException {
    JobSpec job = job("jobs/boston-linear.conf");
    try (TrainingData data = TrainingDataLoader.load(jsc, job.data(), job.training().seed(), job.training().partitions())) {
      TrainingRun.Result ours = TrainingRun.run(jsc, job, data, List.of());
      // The oracle: MLlib's normal-equation solver on exactly the same (normalized) rows.
      LinearRegressionModel ols = new LinearRegression().setSolver("normal").setRegParam(0)
          .setStandardization(false).fit(frame(data, Split.TRAIN));
      double sae = 0;
      long n = 0;
      for (Row r : ols.transform(frame(data, Split.TEST)).select("label", "prediction").collectAsList()) {
        sae += Math.abs(r.getDouble(0) - r.getDouble(1));
        n++;
      }
      double oracleMae = sae / n;
      double ourMae = ours.test().get("mae");
      assertTrue(Math.abs(ourMae - oracleMae) <= 0.01 * oracleMae,
          "ours " + ourMae + " vs least squares " + oracleMae);
    }
  }

  private static Dataset<Row> frame(TrainingData data, Split split) {
    List<LabeledPoint> points = new ArrayList<>();
    for (PartitionData pd : data.partitions.collect()) {
      for (Block b : pd.blocks(split)) {
        for (int r = 0; r < b.rows; r++) {
          double[] x = java.util.Arrays.copyOfRange(b.x, r * b.cols, (r + 1) * b.cols);
          points.add(new LabeledPoint(b.y[r] * data.stats.labelScale() + data.stats.labelShift(), Vectors.dense(x)));
        }
      }
    }
    return spark.createDataFrame(points, LabeledPoint.class);
  }
}
