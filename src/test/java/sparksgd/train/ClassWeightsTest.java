package sparksgd.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.data.TrainingData;
import sparksgd.data.TrainingDataLoader;
import sparksgd.job.JobLoader;
import sparksgd.job.JobSpec;
import sparksgd.model.ClassWeightedLoss;
import sparksgd.model.Losses;
import sparksgd.testing.SparkTest;

/**
 * model.class-weights = balanced on breast cancer made imbalanced: every 5th row is the test file; of the
 * training rows only every 10th malignant one (label 0) is kept. Balanced weights raise the test
 * balanced accuracy (mean of the two recalls) over unweighted training.
 */
@SparkTest
class ClassWeightsTest {
  static SparkSession spark;
  static JavaSparkContext jsc;
  @TempDir
  static Path dir;
  static Path train;
  static Path test;
  static List<double[]> testRows = new ArrayList<>();
  static long[] trainCounts = new long[2];

  @BeforeAll
  static void start() throws IOException {
    List<String> lines;
    try (InputStream in = ClassWeightsTest.class.getResourceAsStream("/datasets/breast_cancer.csv")) {
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    List<String> tr = new ArrayList<>(List.of(lines.get(0)));
    List<String> te = new ArrayList<>(List.of(lines.get(0)));
    int malignant = 0;
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      double[] v = java.util.Arrays.stream(line.split(",")).mapToDouble(Double::parseDouble).toArray();
      if (i % 5 == 0) {
        te.add(line);
        testRows.add(v);
      } else if (v[v.length - 1] == 1 || malignant++ % 10 == 0) {
        tr.add(line);
        trainCounts[(int) v[v.length - 1]]++;
      }
    }
    train = Files.write(dir.resolve("train.csv"), tr);
    test = Files.write(dir.resolve("test.csv"), te);
  }

  private static double[] trainAndScore(String... extra) {
    List<String> sets = new ArrayList<>(List.of("data.train=\"" + train + "\"", "data.test=\"" + test + "\"",
        "data.label=benign", "model.type=linear", "model.loss=bce", "optimizer.type=adam",
        "optimizer.learning-rate=0.01", "training.epochs=15", "training.batch-size=16", "training.partitions=1",
        "training.engine=jobs"));
    sets.addAll(List.of(extra));
    JobSpec job = JobLoader.load(null, "cw", sets);
    try (TrainingData data = TrainingDataLoader.forJob(jsc, job, sparksgd.data.CachedRows.NORMALIZED)) {
      TrainingRun.Result r = TrainingRun.run(jsc, job, data, List.of());
      TrainedModel m = new TrainedModel(r.model(), Losses.BCE, r.params(), data.stats, data.featureNames, data.label);
      long[] right = new long[2];
      long[] all = new long[2];
      for (double[] row : testRows) {
        int d = row.length - 1;
        double p = m.predictRaw(java.util.Arrays.copyOf(row, d), 1)[0];
        int truth = (int) row[d];
        all[truth]++;
        right[truth] += (p >= 0.5 ? 1 : 0) == truth ? 1 : 0;
      }
      return new double[] {0.5 * ((double) right[0] / all[0] + (double) right[1] / all[1]),
          (double) right[0] / all[0], (double) right[1] / all[1]};
    }
  }

  @Test
  void balancedRaisesBalancedAccuracy() {
    double[] plain = trainAndScore();
    double[] balanced = trainAndScore("model.class-weights=balanced");
    System.out.printf("class weights (train %d malignant / %d benign): balanced accuracy %.4f (recalls %.4f, %.4f) "
        + "unweighted, %.4f (%.4f, %.4f) balanced%n", trainCounts[0], trainCounts[1], plain[0], plain[1], plain[2],
        balanced[0], balanced[1], balanced[2]);
    assertTrue(balanced[0] > plain[0], "balanced " + balanced[0] + " vs unweighted " + plain[0]);
  }

  @Test
  void balancedWeightsComeFromTheTrainingCounts() {
    JobSpec job = JobLoader.load(null, "cw", List.of("data.train=\"" + train + "\"", "data.test=\"" + test + "\"",
        "data.label=benign", "model.loss=bce", "training.partitions=2"));
    try (TrainingData data = TrainingDataLoader.forJob(jsc, job, sparksgd.data.CachedRows.NORMALIZED)) {
      ClassWeightedLoss l = (ClassWeightedLoss) ClassWeights.apply(Losses.BCE, List.of(), true, 2, data.partitions);
      double n = trainCounts[0] + trainCounts[1];
      assertArrayEquals(new double[] {n / (2.0 * trainCounts[0]), n / (2.0 * trainCounts[1])}, l.weights(), 1e-12);
    }
  }
}
