package sparksgd.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.cli.CliRunner;
import sparksgd.data.FeatureStats;
import sparksgd.data.FoldStats;
import sparksgd.data.Folds;
import sparksgd.data.Split;
import sparksgd.data.TrainingData;
import sparksgd.data.TrainingDataLoader;
import sparksgd.job.JobLoader;
import sparksgd.job.JobSpec;
import sparksgd.testing.SparkTest;

@SparkTest
class CrossValidationTest {
  static SparkSession spark;
  static JavaSparkContext jsc;
  @TempDir
  static Path dir;

  @Test
  void eachFoldsStatisticsComeFromItsTrainingPartOnly() throws IOException {
    // Row values are 1..40 except one huge outlier: only the fold that holds it out may miss it.
    StringBuilder sb = new StringBuilder("x,y\n");
    for (int i = 1; i <= 40; i++) {
      sb.append(i == 17 ? 1_000_000 : i).append(',').append(i).append('\n');
    }
    Path f = dir.resolve("leak.csv");
    Files.writeString(f, sb);
    JobSpec job = JobLoader.load("", "leak.conf", List.of("data.train=\"" + f + "\"", "data.label=y",
        "data.test-fraction=0", "training.seed=5", "training.partitions=2"));
    try (TrainingData raw = TrainingDataLoader.forJob(jsc, job, sparksgd.data.CachedRows.RAW)) {
      Folds folds = new Folds(raw.rows(Split.TRAIN), 4, 5, true);
      FeatureStats[] stats = FoldStats.compute(raw, folds, job.data());
      int outlierFold = folds.foldOf(16); // row 17 is id 16: ids follow input order
      for (int k = 0; k < 4; k++) {
        // Expected mean of x over the rows not in fold k, computed directly.
        double sum = 0;
        int n = 0;
        for (int id = 0; id < 40; id++) {
          if (folds.foldOf(id) != k) {
            sum += id == 16 ? 1_000_000 : id + 1;
            n++;
          }
        }
        assertEquals(n, stats[k].count());
        assertEquals(sum / n, stats[k].mean()[0], 1e-9);
        assertEquals(k != outlierFold, stats[k].max()[0] == 1_000_000, "fold " + k);
      }
    }
  }

  @Test
  void cvCommandWritesCurvesAndPicksTheBestSmoothedEpoch() throws IOException {
    Path out = dir.resolve("cv");
    CliRunner r = CliRunner.run("cv", "jobs/boston-mlp.conf", "--folds", "3", "--out", out.toString(),
        "--set", "training.epochs=15", "--set", "cv.skip=5", "--set", "model.hidden=[16]");
    assertEquals(0, r.code(), r.err());
    JsonNode cv = new ObjectMapper().readTree(out.resolve("cv.json").toFile());
    assertEquals(3, cv.get("fold_results").size());
    int best = cv.get("best_epoch").asInt();
    assertTrue(best >= 6 && best <= 15, "best epoch after the skipped ones: " + best);
    List<String> lines = Files.readAllLines(out.resolve("cv_history.csv"));
    assertEquals(16, lines.size());
    assertTrue(lines.get(0).startsWith("epoch,fold1_val_mae,fold2_val_mae,fold3_val_mae,mean_val_mae"));
    // The mean column is the mean of the fold columns.
    String[] row = lines.get(10).split(",");
    double mean = (Double.parseDouble(row[1]) + Double.parseDouble(row[2]) + Double.parseDouble(row[3])) / 3;
    assertEquals(mean, Double.parseDouble(row[4]), 1e-9);
    assertEquals(cv.get("best_smoothed_mae").asDouble(), Double.parseDouble(lines.get(best).split(",")[6]), 1e-12);
  }

  @Test
  void cvOwnSettingsWinOverTheUsersSetAndItsFolderIsLocked() throws IOException {
    Path out = dir.resolve("cv-forced");
    // A user's --set must not switch early stopping back on: the fold curves would be ragged.
    CliRunner r = CliRunner.run("cv", "jobs/boston-linear.conf", "--folds", "2", "--out", out.toString(),
        "--set", "training.epochs=6", "--set", "training.early-stopping.metric=validation-mae",
        "--set", "training.early-stopping.patience=0", "--set", "data.validation-fraction=0.3");
    assertEquals(0, r.code(), r.err());
    List<String> lines = Files.readAllLines(out.resolve("cv_history.csv"));
    assertEquals(7, lines.size(), "every fold trained all 6 epochs: " + lines);
    com.typesafe.config.Config saved = com.typesafe.config.ConfigFactory.parseFile(out.resolve("job.conf").toFile());
    assertEquals("none", saved.getString("training.early-stopping.metric"));
    assertEquals(0.0, saved.getDouble("data.validation-fraction"));
    assertTrue(!Files.exists(out.resolve(sparksgd.store.RunLock.FILE_NAME)), "the lock is released");

    Path locked = dir.resolve("cv-locked");
    try (sparksgd.store.RunLock held = sparksgd.store.RunLock.acquire(jsc.hadoopConfiguration(), locked.toString(),
        w -> { })) {
      CliRunner refused = CliRunner.run("cv", "jobs/boston-linear.conf", "--folds", "2", "--out", locked.toString(),
          "--set", "training.epochs=2");
      assertEquals(2, refused.code(), refused.err());
      assertTrue(refused.err().contains("in use by another run"), refused.err());
      assertTrue(!Files.exists(locked.resolve("cv.json")));
    }
  }

  @Test
  void cvScoresClassifiersByAccuracyAndPicksTheHighestSmoothedEpoch() throws IOException {
    Path out = dir.resolve("cv-classifier");
    CliRunner r = CliRunner.run("cv", "jobs/breast-cancer.conf", "--folds", "2", "--out", out.toString(),
        "--set", "training.epochs=4", "--set", "cv.skip=0", "--set", "cv.smoothing=0");
    assertEquals(0, r.code(), r.err());
    List<String> lines = Files.readAllLines(out.resolve("cv_history.csv"));
    assertEquals("epoch,fold1_val_accuracy,fold2_val_accuracy,mean_val_accuracy,std_val_accuracy,"
        + "smoothed_val_accuracy", lines.get(0));
    JsonNode cv = new ObjectMapper().readTree(out.resolve("cv.json").toFile());
    assertEquals("validation_accuracy", cv.get("metric").asText());
    // Smoothing 0: the smoothed curve is the mean; the best epoch is where the mean accuracy is highest.
    double best = Double.NEGATIVE_INFINITY;
    for (String line : lines.subList(1, lines.size())) {
      double mean = Double.parseDouble(line.split(",")[3]);
      assertTrue(mean >= 0 && mean <= 1, line);
      best = Math.max(best, mean);
    }
    assertEquals(best, cv.get("best_smoothed_accuracy").asDouble(), 1e-12);
    assertEquals(best, Double.parseDouble(lines.get(cv.get("best_epoch").asInt()).split(",")[3]), 1e-12);
  }

  /** 600 seeded sparse logistic rows (12 of 500 features set) as a LibSVM file. */
  static Path sparseFile() throws IOException {
    Path f = dir.resolve("sparse.libsvm");
    if (!Files.exists(f)) {
      sparksgd.data.SparseLogisticRows gen = new sparksgd.data.SparseLogisticRows(7, 500, 12);
      List<String> lines = new java.util.ArrayList<>();
      for (long i = 0; i < 600; i++) {
        lines.add(gen.libsvm(i));
      }
      Files.write(f, lines);
    }
    return f;
  }

  static JobSpec sparseJob(String representation, String normalize) throws IOException {
    return JobLoader.load("", "sparse.conf", List.of("data.train=\"" + sparseFile() + "\"", "data.format=libsvm",
        "data.label=label", "data.num-features=500", "data.test-fraction=0", "data.representation=" + representation,
        "data.normalize=" + normalize, "model.loss=bce", "optimizer.learning-rate=0.5", "training.epochs=3",
        "training.batch-size=32", "training.partitions=2", "training.engine=jobs"));
  }

  @Test
  void sparseFoldsTrainAsTheirDenseTwinsDo() throws IOException {
    // Unnormalized rows scale alike in both representations: each fold's curve must match to rounding.
    List<double[]> curves = new java.util.ArrayList<>();
    for (String representation : List.of("sparse", "dense")) {
      JobSpec job = sparseJob(representation, "none");
      try (TrainingData raw = TrainingDataLoader.forJob(jsc, job, sparksgd.data.CachedRows.RAW)) {
        assertEquals(representation.equals("sparse"),
            raw.partitions.first().blocks(Split.TRAIN)[0].sparse(), representation);
        Folds folds = new Folds(raw.rows(Split.TRAIN), 3, 5, true);
        List<CrossValidation.FoldResult> results = CrossValidation.run(job,
            new FoldTrainer(jsc, raw, folds, job.data()), 1, fold -> List.of(), new java.io.PrintWriter(System.out, true));
        double[] c = new double[3 * 3 + 3];
        for (CrossValidation.FoldResult r : results) {
          for (int e = 0; e < 3; e++) {
            c[r.fold() * 3 + e] = r.history().get(e).validationLoss();
          }
          c[9 + r.fold()] = r.validation().get("accuracy");
        }
        curves.add(c);
      }
    }
    for (int i = 0; i < 12; i++) {
      assertEquals(curves.get(1)[i], curves.get(0)[i], 1e-9 * Math.max(1, Math.abs(curves.get(1)[i])), "value " + i);
    }
    assertTrue(curves.get(0)[0] > 0, "a validation loss was recorded");
  }

  @Test
  void sparseFoldStatisticsAreTheDenseOnesUncentered() throws IOException {
    FeatureStats[][] both = new FeatureStats[2][];
    int i = 0;
    for (String representation : List.of("sparse", "dense")) {
      JobSpec job = sparseJob(representation, "standard");
      try (TrainingData raw = TrainingDataLoader.forJob(jsc, job, sparksgd.data.CachedRows.RAW)) {
        both[i++] = FoldStats.compute(raw, new Folds(raw.rows(Split.TRAIN), 3, 5, true), job.data());
      }
    }
    for (int k = 0; k < 3; k++) {
      FeatureStats sparse = both[0][k];
      FeatureStats dense = both[1][k];
      assertTrue(!sparse.centered() && dense.centered(), "fold " + k);
      assertEquals(dense.count(), sparse.count());
      for (int j = 0; j <= 500; j++) { // features then label
        assertEquals(dense.mean()[j], sparse.mean()[j], 1e-12, "mean " + j);
        assertEquals(dense.std()[j], sparse.std()[j], 1e-12, "std " + j);
        assertEquals(dense.scale(j), sparse.scale(j), 1e-12, "scale " + j);
      }
      assertEquals(0.0, sparse.shift(0));
      assertEquals(dense.shift(500), sparse.shift(500), 1e-12, "the label is still shifted");
    }
  }

  @Test
  void cvCommandRunsOnSparseLibSvm() throws IOException {
    Path out = dir.resolve("cv-sparse");
    CliRunner r = CliRunner.run("cv", "jobs/breast-cancer.conf", "--folds", "3", "--out", out.toString(),
        "--set", "data.train=\"" + sparseFile() + "\"", "--set", "data.format=libsvm", "--set", "data.label=label",
        "--set", "data.num-features=500", "--set", "data.representation=sparse",
        "--set", "data.test-fraction=0", "--set", "training.epochs=3", "--set", "cv.skip=0");
    assertEquals(0, r.code(), r.err());
    // Progress lines come through the command's writer, so a caller (this test) sees them.
    assertTrue(r.out().contains("spark-sgd cv: 3 folds of 600 training rows"), r.out());
    assertTrue(r.out().contains("fold 3/3  epoch 3/3"), r.out());
    List<String> lines = Files.readAllLines(out.resolve("cv_history.csv"));
    assertEquals(4, lines.size(), lines.toString());
    assertTrue(lines.get(0).startsWith("epoch,fold1_val_accuracy,fold2_val_accuracy,fold3_val_accuracy"));
    for (String line : lines.subList(1, lines.size())) {
      double mean = Double.parseDouble(line.split(",")[4]);
      assertTrue(mean > 0.5 && mean <= 1, "better than chance on a learnable teacher: " + line);
    }
  }
}
