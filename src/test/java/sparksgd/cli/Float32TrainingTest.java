package sparksgd.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.data.TrainingData;
import sparksgd.data.TrainingDataLoader;
import sparksgd.job.JobLoader;
import sparksgd.job.JobSpec;
import sparksgd.ml.SgdRegressionModel;
import sparksgd.ml.SgdRegressor;
import sparksgd.model.Precision;
import sparksgd.testing.SparkTest;
import sparksgd.train.ModelFiles;
import sparksgd.train.TrainedModel;

/**
 * {@code training.precision = float32} end to end: bit-identical parameters whatever the engine or a
 * resume, {@code <f4} model files that predict, evaluate and Spark ML read, half the cached bytes, and
 * results close to float64 for every loss and optimizer.
 */
@SparkTest
class Float32TrainingTest {
  static SparkSession spark;
  static JavaSparkContext jsc;
  @TempDir
  static Path dir;
  static final ObjectMapper JSON = new ObjectMapper();
  static final String[] MLP = {"--set", "training.epochs=3", "--set", "model.hidden=[16,16]", "--set",
      "optimizer.learning-rate=0.01", "--set", "training.precision=float32"};
  static Path gang;

  @BeforeAll
  static void start() {
    gang = dir.resolve("gang");
    CliRunner r = train(gang, "training.engine=gang");
    assertEquals(0, r.code(), r.err());
  }

  static CliRunner train(Path out, String... sets) {
    List<String> a = new ArrayList<>(List.of("train", "jobs/boston-mlp.conf", "--out", out.toString()));
    a.addAll(List.of(MLP));
    for (String s : sets) {
      a.add("--set");
      a.add(s);
    }
    return CliRunner.run(a.toArray(new String[0]));
  }

  static void assertSameWeights(Path expectedRun, Path actualRun) throws IOException {
    for (String t : List.of("W1", "b1", "W2", "b2", "W3", "b3")) {
      assertArrayEquals(Files.readAllBytes(expectedRun.resolve("model/" + t + ".npy")),
          Files.readAllBytes(actualRun.resolve("model/" + t + ".npy")), t + " differs");
    }
  }

  static JsonNode json(Path p) throws IOException {
    return JSON.readTree(Files.readString(p));
  }

  @Test
  void modelFilesAreFloat32AndTheEnginesAgreeBitForBit() throws IOException {
    String w1 = new String(Files.readAllBytes(gang.resolve("model/W1.npy")), 0, 128, StandardCharsets.ISO_8859_1);
    assertTrue(w1.contains("'descr': '<f4'"), w1);
    assertEquals(128 + 4 * 13 * 16, Files.size(gang.resolve("model/W1.npy")));
    assertEquals("float32", json(gang.resolve("model/model.json")).path("model").path("precision").asText());

    Path jobs = dir.resolve("jobs");
    CliRunner r = train(jobs, "training.engine=jobs");
    assertEquals(0, r.code(), r.err());
    assertSameWeights(gang, jobs);
  }

  @Test
  void resumeFromAFloat32CheckpointIsBitIdentical() throws IOException {
    Path out = dir.resolve("resumed");
    CliRunner first = train(out, "training.epochs=1");
    assertEquals(0, first.code(), first.err());
    String params = new String(Files.readAllBytes(Files.list(out.resolve("checkpoints"))
        .filter(p -> p.getFileName().toString().startsWith("ckpt-")).sorted().reduce((a, b) -> b).orElseThrow()
        .resolve("params.npy")), 0, 128, StandardCharsets.ISO_8859_1);
    assertTrue(params.contains("'<f4'"), "checkpoint parameters are float32: " + params);
    List<String> a = new ArrayList<>(List.of("train", "jobs/boston-mlp.conf", "--out", out.toString(), "--resume"));
    a.addAll(List.of(MLP));
    CliRunner resumed = CliRunner.run(a.toArray(new String[0]));
    assertEquals(0, resumed.code(), resumed.err());
    assertSameWeights(gang, out);
  }

  @Test
  void evaluateAndPredictReadFloat32Models() throws IOException {
    Path eval = dir.resolve("evaluation.json");
    CliRunner ev = CliRunner.run("evaluate", "--model", gang.toString(), "--input",
        "src/main/resources/datasets/boston_housing.csv", "--output", eval.toString());
    assertEquals(0, ev.code(), ev.err());
    double mae = json(eval).path("mae").asDouble(Double.NaN);

    TrainedModel m = ModelFiles.load(jsc.hadoopConfiguration(), gang.resolve("model").toString());
    assertEquals(Precision.FLOAT32, m.model().precision());
    assertTrue(Precision.FLOAT32.holds(m.params()));
    // The same parameters computed in float64 give the same MAE to float32's precision.
    TrainedModel twin = new TrainedModel(((sparksgd.model.Mlp) m.model()).withPrecision(Precision.FLOAT64), m.loss(),
        m.params(), m.stats(), m.features(), m.label());
    List<String> lines = Files.readAllLines(Path.of("src/main/resources/datasets/boston_housing.csv"));
    int d = m.features().size();
    double[] x = new double[(lines.size() - 1) * d];
    double[] y = new double[lines.size() - 1];
    for (int r = 1; r < lines.size(); r++) {
      String[] v = lines.get(r).split(",");
      for (int j = 0; j < d; j++) {
        x[(r - 1) * d + j] = Double.parseDouble(v[j]);
      }
      y[r - 1] = Double.parseDouble(v[d]);
    }
    double[] p64 = twin.predictRaw(x, y.length);
    double sae = 0;
    for (int r = 0; r < y.length; r++) {
      sae += Math.abs(p64[r] - y[r]);
    }
    assertEquals(sae / y.length, mae, 1e-4 * mae, "evaluate's MAE of the float32 model vs float64 arithmetic");
    assertTrue(mae < 8, "a trained model: MAE " + mae);
    Path pred = dir.resolve("pred.csv");
    CliRunner p = CliRunner.run("predict", "--model", gang.toString(), "--input",
        "src/main/resources/datasets/boston_housing.csv", "--output", pred.toString());
    assertEquals(0, p.code(), p.err());
    assertEquals(507, Files.readAllLines(pred).size());
  }

  @Test
  void float32HalvesTheCachedBytesAndStaysCloseToFloat64() throws IOException {
    String text = Files.readString(Path.of("jobs/boston-mlp.conf"));
    JobSpec f64 = JobLoader.load(text, "jobs/boston-mlp.conf", List.of("training.epochs=6", "model.hidden=[16,16]"));
    JobSpec f32 = JobLoader.load(text, "jobs/boston-mlp.conf",
        List.of("training.epochs=6", "model.hidden=[16,16]", "training.precision=float32"));
    long b64;
    long b32;
    try (TrainingData d = TrainingDataLoader.forJob(jsc, f64, sparksgd.data.CachedRows.NORMALIZED)) {
      b64 = d.cachedBytes;
    }
    try (TrainingData d = TrainingDataLoader.forJob(jsc, f32, sparksgd.data.CachedRows.NORMALIZED)) {
      b32 = d.cachedBytes;
    }
    // 13 features in 4 bytes instead of 8, the label stays a double: (13 * 4 + 8) / (14 * 8) = 0.536.
    assertEquals((13 * 4 + 8) / (14.0 * 8), (double) b32 / b64, 1e-9);

    Path out64 = dir.resolve("f64");
    CliRunner r = train(out64, "training.precision=float64");
    assertEquals(0, r.code(), r.err());
    double mae64 = json(out64.resolve("metrics.json")).path("test").path("mae").asDouble();
    double mae32 = json(gang.resolve("metrics.json")).path("test").path("mae").asDouble();
    assertTrue(Math.abs(mae64 - mae32) < 0.03, "test MAE float64 " + mae64 + " vs float32 " + mae32);
  }

  @Test
  void everyLossAndOptimizerTrainsInFloat32() throws IOException {
    String[][] cases = {
        {"jobs/digits.conf", "optimizer.type=adam", "accuracy"},
        {"jobs/breast-cancer.conf", "optimizer.type=sgd", "accuracy"},
        {"jobs/boston-linear.conf", "optimizer.type=rmsprop", "mae"}};
    for (String[] c : cases) {
      double[] score = new double[2];
      for (int i = 0; i < 2; i++) {
        Path out = dir.resolve(Path.of(c[0]).getFileName() + "-" + i);
        List<String> sets = new ArrayList<>(List.of("train", c[0], "--out", out.toString(), "--set", c[1],
            "--set", "training.epochs=2", "--set", "training.precision=" + (i == 0 ? "float64" : "float32")));
        if (c[1].endsWith("sgd")) {
          sets.addAll(List.of("--set", "optimizer.momentum=0.9", "--set", "optimizer.learning-rate=0.01"));
        }
        CliRunner r = CliRunner.run(sets.toArray(new String[0]));
        assertEquals(0, r.code(), c[0] + ": " + r.err());
        score[i] = json(out.resolve("metrics.json")).path("test").path(c[2]).asDouble();
      }
      double tol = c[2].equals("mae") ? 0.03 : 0.02;
      assertTrue(Math.abs(score[0] - score[1]) <= tol,
          c[0] + " " + c[1] + ": float64 " + score[0] + " vs float32 " + score[1]);
    }
  }

  @Test
  void sparkMlPrecisionParamTrainsAndSavesFloat32() throws IOException {
    Dataset<Row> df = spark.read().option("header", true).option("inferSchema", true)
        .csv("src/main/resources/datasets/boston_housing.csv");
    String[] inputs = Arrays.stream(df.columns()).filter(c -> !c.equals("MEDV")).toArray(String[]::new);
    Dataset<Row> v = new VectorAssembler().setInputCols(inputs).setOutputCol("features").transform(df)
        .withColumnRenamed("MEDV", "label");
    SgdRegressionModel m = new SgdRegressor().setHiddenLayers(8).setMaxEpochs(3).setPartitions(1)
        .setPrecision("float32").fit(v);
    Path saved = dir.resolve("ml-model");
    m.write().overwrite().save(saved.toString());
    String w1 = new String(Files.readAllBytes(saved.resolve("data").resolve("W1.npy")), 0, 128, StandardCharsets.ISO_8859_1);
    assertTrue(w1.contains("'<f4'"), w1);
    SgdRegressionModel back = SgdRegressionModel.load(saved.toString());
    List<Row> a = m.transform(v).select("prediction").collectAsList();
    List<Row> b = back.transform(v).select("prediction").collectAsList();
    assertEquals(a, b);
  }
}
