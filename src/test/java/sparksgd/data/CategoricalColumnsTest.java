package sparksgd.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.feature.FeatureHasher;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.job.JobConfigException;
import sparksgd.job.JobLoader;
import sparksgd.job.JobSpec;
import sparksgd.testing.SparkTest;
import sparksgd.train.ModelFiles;
import sparksgd.train.Scoring;
import sparksgd.train.TestPredictions;
import sparksgd.train.TrainedModel;
import sparksgd.train.TrainingJob;
import sparksgd.train.TrainingRun;

/**
 * data.categorical: the vocabulary comes from the training rows only, hashing matches Spark's FeatureHasher and
 * does not depend on partitioning, a saved model predicts its own test rows exactly as the run did, and bad
 * keys are one error naming the key.
 */
@SparkTest
class CategoricalColumnsTest {
  static SparkSession spark;
  static JavaSparkContext jsc;
  @TempDir
  static Path dir;
  static Path csv;
  static final long SEED = 42;
  static final int ROWS = 400;
  static int purpleRow = -1;

  @BeforeAll
  static void write() throws IOException {
    // The split rule of the job below (test-fraction 0.2): put "purple" in exactly one TEST row.
    SplitRule rule = new SplitRule(SEED, 0.2, 0);
    Random rnd = new Random(7);
    String[] cities = {"oslo", "lima", "pune", "kyiv"};
    double[] cityEffect = {3, -2, 0.5, 1.5};
    String[] colors = {"red", "green", "blue"};
    List<String> lines = new ArrayList<>(List.of("x1,city,x2,color,y"));
    for (int i = 0; i < ROWS; i++) {
      int c = rnd.nextInt(cities.length);
      int k = rnd.nextInt(colors.length);
      String color = colors[k];
      if (purpleRow < 0 && i > 10 && rule.assign(i) == Split.TEST) {
        purpleRow = i;
        color = "purple";
      }
      double x1 = rnd.nextGaussian();
      double x2 = rnd.nextGaussian();
      double y = 2 * x1 - x2 + cityEffect[c] + k + 0.1 * rnd.nextGaussian();
      lines.add(x1 + "," + cities[c] + "," + x2 + ",\"" + color + "\"," + y);
    }
    csv = dir.resolve("cats.csv");
    Files.write(csv, lines);
  }

  static JobSpec job(String... more) {
    List<String> sets = new ArrayList<>(List.of("data.train=\"" + csv + "\"", "data.label=y",
        "data.categorical=[city, color]", "optimizer.learning-rate=0.05", "training.epochs=4",
        "training.batch-size=16", "training.seed=" + SEED));
    sets.addAll(List.of(more));
    return JobLoader.load("", "cats.conf", sets);
  }

  @Test
  void theVocabularyComesFromTrainingRowsOnly() {
    try (TrainingData data = TrainingDataLoader.forJob(jsc, job(), CachedRows.NORMALIZED)) {
      CategoricalEncoder e = data.encoding;
      assertEquals(List.of("x1", "x2"), e.numeric());
      assertEquals(List.of("kyiv", "lima", "oslo", "pune"), e.vocabulary(0));
      assertEquals(List.of("blue", "green", "red"), e.vocabulary(1), "purple is only in a test row");
      assertEquals(List.of("x1", "x2", "city=kyiv", "city=lima", "city=oslo", "city=pune", "city=<other>",
          "color=blue", "color=green", "color=red", "color=<other>"), data.featureNames);
      assertEquals(e.slot(1, "never-seen"), e.slot(1, "purple"));
      assertEquals(10, e.slot(1, "purple"), "color's <other> slot");
      // numeric columns are z-scored as always; one-hot slots are neither shifted nor scaled
      assertTrue(Math.abs(data.stats.shift(0)) > 1e-4 && data.stats.scale(0) != 1);
      for (int j = 2; j < data.features(); j++) {
        assertEquals(0, data.stats.shift(j));
        assertEquals(1, data.stats.scale(j));
      }
      Block b = data.partitions.first().blocks(Split.TRAIN)[0];
      assertFalse(b.sparse(), "2 numeric + 2 of 9 slots: auto keeps rows dense");
      double ones = 0;
      for (int j = 2; j < data.features(); j++) {
        ones += b.x[j];
      }
      assertEquals(2, ones, "each row has one slot per categorical column set");
    }
  }

  @Test
  void hashingIsSparksFeatureHasherAndIgnoresPartitioning() {
    StructType schema = new StructType().add("city", DataTypes.StringType).add("color", DataTypes.StringType);
    List<Row> rows = List.of(RowFactory.create("oslo", "red"), RowFactory.create("lima", "purple"),
        RowFactory.create("pune", "blue"), RowFactory.create("kyiv", "green"));
    Dataset<Row> hashed = new FeatureHasher().setInputCols(new String[] {"city", "color"}).setOutputCol("h")
        .setNumFeatures(1 << 8).transform(spark.createDataFrame(rows, schema));
    CategoricalEncoder e = CategoricalEncoder.hashed(List.of(), List.of("city", "color"), 8);
    for (Row r : hashed.collectAsList()) {
      SparseVector v = ((org.apache.spark.ml.linalg.Vector) r.getAs("h")).toSparse();
      int[] ours = {e.slot(0, r.getString(0)), e.slot(1, r.getString(1))};
      Arrays.sort(ours);
      int[] distinct = Arrays.stream(ours).distinct().toArray();
      assertTrue(Arrays.equals(distinct, v.indices()), "FeatureHasher's slots " + Arrays.toString(v.indices())
          + " vs ours " + Arrays.toString(ours));
    }
    double[][] two = testPredictions(job("data.hash-bits=4", "training.partitions=2"));
    double[][] three = testPredictions(job("data.hash-bits=4", "training.partitions=3"));
    assertEquals(two[0].length, three[0].length);
    for (int r = 0; r < two[0].length; r++) {
      assertEquals(two[0][r], three[0][r], 1e-9 * Math.max(1, Math.abs(two[0][r])), "test row " + r);
    }
  }

  static double[][] testPredictions(JobSpec job) {
    try (TrainingData data = TrainingDataLoader.forJob(jsc, job, CachedRows.NORMALIZED)) {
      TrainingRun.Result r = TrainingRun.run(jsc, job, data, List.of());
      TrainedModel m = TrainingJob.trainedModel(job, r, data.stats, data);
      return TestPredictions.of(data, m, Split.TEST, 1_000_000, CachedRows.NORMALIZED);
    }
  }

  @Test
  void aSavedModelPredictsItsTestRowsAsTheRunDid() throws IOException {
    for (String[] variant : List.of(new String[] {"data.representation=auto"},
        new String[] {"data.hash-bits=5", "data.representation=sparse"})) {
      JobSpec job = job(variant);
      double[][] own;
      Path model = dir.resolve("model-" + variant.length + "-" + variant[0].hashCode());
      try (TrainingData data = TrainingDataLoader.forJob(jsc, job, CachedRows.NORMALIZED)) {
        assertEquals(variant.length == 2, data.partitions.first().blocks(Split.TRAIN)[0].sparse());
        TrainingRun.Result r = TrainingRun.run(jsc, job, data, List.of());
        TrainedModel m = TrainingJob.trainedModel(job, r, data.stats, data);
        own = TestPredictions.of(data, m, Split.TEST, 1_000_000, CachedRows.NORMALIZED);
        ModelFiles.save(jsc.hadoopConfiguration(), model.toString(), m, java.util.Map.of());
      }
      assertTrue(Files.exists(model.resolve(CategoricalEncoder.FILE)), "vocabulary.json in the model folder");
      Path tests = dir.resolve("test-rows-" + variant.length + ".csv");
      List<String> lines = new ArrayList<>(List.of("y,color,x2,city,x1")); // another column order
      for (String l : TrainingDataLoader.splitLines(jsc, job.data(), SEED, 2, Split.TEST).collect()) {
        String[] c = l.split(",");
        lines.add(c[4] + "," + c[3] + "," + c[2] + "," + c[1] + "," + c[0]);
      }
      Files.write(tests, lines);
      TrainedModel loaded = ModelFiles.load(jsc.hadoopConfiguration(), model.toString());
      assertEquals(variant.length == 2, loaded.encoding().isHashed());
      Scoring.Input in = Scoring.read(jsc, loaded, tests.toString(), ',');
      assertEquals(variant.length == 2, in.sparse(), "a sparse model scores one-hot rows as CSR");
      List<String> predicted = Scoring.predictLines(in, loaded, ',').collect();
      assertEquals(own[0].length, predicted.size());
      for (int r = 0; r < predicted.size(); r++) {
        String[] c = predicted.get(r).split(",");
        assertEquals(own[1][r], Double.parseDouble(c[0]), 1e-9, "the same test row");
        assertEquals(own[0][r], Double.parseDouble(c[5]), 1e-9 * Math.max(1, Math.abs(own[0][r])), "row " + r);
      }
      assertTrue(String.join("\n", lines).contains("purple"), "the unseen value is scored (as color=<other>)");
    }
  }

  @Test
  void bostonsWhitespaceFileTakesRadAsACategoryAndFoldsLeaveItsSlotsAsIs() throws IOException {
    List<String> csvLines = Files.readAllLines(Path.of("src/main/resources/datasets/boston_housing.csv"));
    Path data = dir.resolve("housing.data");
    Files.write(data, csvLines.subList(1, csvLines.size()).stream().map(l -> " " + l.replace(",", "   ")).toList());
    JobSpec job = JobLoader.load("", "ws.conf", List.of("data.train=\"" + data + "\"", "data.format=whitespace",
        "data.label=MEDV", "data.categorical=[RAD]"));
    try (TrainingData raw = TrainingDataLoader.forJob(jsc, job, CachedRows.RAW)) {
      assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8", "24"), raw.encoding.vocabulary(0));
      assertEquals(12 + 10, raw.features());
      assertEquals("RAD=24", raw.featureNames.get(20));
      FeatureStats[] folds = FoldStats.compute(raw, new Folds(raw.rows(Split.TRAIN), 4, 42, true), job.data());
      for (FeatureStats f : folds) {
        assertTrue(f.shift(0) != 0, "numeric columns are centered per fold");
        for (int j = 12; j < 22; j++) {
          assertEquals(0, f.shift(j));
          assertEquals(1, f.scale(j));
        }
      }
    }
  }

  @Test
  void parquetRowsEncodeAsTheCsvRowsDo() {
    Path parquet = dir.resolve("cats.parquet");
    spark.read().option("header", true).option("inferSchema", true).csv(csv.toString()).coalesce(1).write()
        .parquet(parquet.toString());
    double[][] fromCsv = testPredictions(job());
    double[][] fromParquet = testPredictions(job("data.format=parquet", "data.train=\"" + parquet + "\""));
    assertEquals(fromCsv[0].length, fromParquet[0].length);
    for (int r = 0; r < fromCsv[0].length; r++) {
      assertEquals(fromCsv[1][r], fromParquet[1][r], 0, "the same test rows");
      assertEquals(fromCsv[0][r], fromParquet[0][r], 1e-9 * Math.max(1, Math.abs(fromCsv[0][r])), "row " + r);
    }
  }

  @Test
  void badKeysAreOneErrorNamingTheKey() {
    JobConfigException both = assertThrows(JobConfigException.class,
        () -> job("data.features=[x1, city]"));
    assertEquals("data.categorical", both.key());
    assertTrue(both.getMessage().contains("'city' is also in data.features"), both.getMessage());
    JobConfigException bits = assertThrows(JobConfigException.class, () -> job("data.hash-bits=16"));
    assertEquals("data.hash-bits", bits.key());
    assertTrue(bits.getMessage().contains("1..15"), bits.getMessage());
    JobConfigException label = assertThrows(JobConfigException.class, () -> job("data.categorical=[y]"));
    assertEquals("data.categorical", label.key());
    JobConfigException libsvm = assertThrows(JobConfigException.class, () -> job("data.format=libsvm"));
    assertTrue(libsvm.getMessage().contains("csv, whitespace or parquet"), libsvm.getMessage());
    assertEquals("data.categorical", libsvm.key());
    JobConfigException noColumns = assertThrows(JobConfigException.class,
        () -> job("data.categorical=[]", "data.hash-bits=8"));
    assertEquals("data.hash-bits", noColumns.key());
    JobConfigException unknown = assertThrows(JobConfigException.class,
        () -> TrainingDataLoader.forJob(jsc, job("data.categorical=[town]"), CachedRows.NORMALIZED));
    assertEquals("data.categorical", unknown.key());
    assertTrue(unknown.getMessage().contains("'town', which is not a column of") && unknown.getMessage()
        .contains("columns: x1, city, x2, color, y"), unknown.getMessage());
  }
}
