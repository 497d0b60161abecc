package sparksgd.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.store.Npy;
import sparksgd.testing.SparkTest;
import sparksgd.train.ModelFiles;
import sparksgd.train.TrainedModel;

/**
 * Issue 14: a wide (5,000-feature sparse) run keeps its per-feature statistics in stats-features.npy beside
 * small stats.json / model.json files, checkpoints carry no copy of them, the saved model predicts and
 * evaluates as the run did, and resume still works and still refuses other data; a small run's files are
 * exactly what the code before the change wrote (fixtures/boston-linear-4-epochs).
 */
@SparkTest
class WideStatsFilesTest {
  static SparkSession spark;
  @TempDir
  static Path dir;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FEATURES = 5000;

  @Test
  void aSmallRunWritesTheSameStatsAndModelJsonAsBefore() throws IOException {
    Path run = dir.resolve("boston");
    CliRunner t = CliRunner.run("train", "jobs/boston-linear.conf", "--out", run.toString(), "--set",
        "training.epochs=4");
    assertEquals(0, t.code(), t.err());
    assertEquals(fixture("stats.json"), Files.readString(run.resolve("stats.json")), "stats.json byte for byte");
    String model = Files.readString(run.resolve("model/model.json"));
    String expected = fixture("model-before-provenance.json");
    assertEquals(expected, model.substring(0, Math.min(model.length(), expected.length())),
        "model.json byte for byte up to its provenance (a timestamp)");
    assertTrue(model.substring(expected.length()).startsWith("  \"provenance\" : {"), model);
    assertFalse(Files.exists(run.resolve("stats-features.npy")));
    assertFalse(Files.exists(run.resolve("model/stats-features.npy")));
  }

  @Test
  void aWideRunKeepsItsFeatureStatisticsInASidecarAndPredictsEvaluatesAndResumes() throws Exception {
    Path data = dir.resolve("wide-data");
    assertEquals(0, CliRunner.run("generate", "--kind", "sparse-logistic", "--features", "" + FEATURES, "--nnz",
        "20", "--rows", "800", "--seed", "3", "--out", data.toString()).code());
    Path run = dir.resolve("wide");
    CliRunner t = CliRunner.run(train(data, run, 2, "--save-splits"));
    assertEquals(0, t.code(), t.err());

    // stats.json: the header, the label, and a reference to the sidecar; no feature listed one by one.
    JsonNode stats = JSON.readTree(run.resolve("stats.json").toFile());
    assertTrue(Files.size(run.resolve("stats.json")) < 2048, "stats.json is " + Files.size(run.resolve("stats.json")));
    assertTrue(Files.size(run.resolve("model/model.json")) < 4096);
    assertFalse(stats.has("columns"));
    JsonNode f = stats.get("features");
    assertEquals("{\"prefix\":\"f\",\"first\":1,\"suffix\":\"\",\"count\":5000}", f.get("names").toString());
    assertEquals("stats-features.npy", f.get("file").asText());
    assertEquals("[4,5000]", f.get("shape").toString());
    assertEquals("[\"mean\",\"std\",\"min\",\"max\"]", f.get("rows").toString());
    assertEquals(sha256(run.resolve("stats-features.npy")), f.get("sha256").asText());
    assertEquals("label", stats.get("label").get("name").asText());
    assertEquals(stats.get("count").asLong(), stats.get("label").get("count").asLong());

    // The sidecar as numpy reads it: the training rows' 0/1 features, so min 0, max at most 1, mean = std^2 + mean^2.
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    double[] a = Npy.read(conf, new org.apache.hadoop.fs.Path(run.resolve("stats-features.npy").toString()), 4,
        FEATURES);
    int seen = 0;
    for (int j = 0; j < FEATURES; j++) {
      double mean = a[j];
      double std = a[FEATURES + j];
      assertEquals(0, a[2 * FEATURES + j], "min of f" + (j + 1));
      assertTrue(a[3 * FEATURES + j] <= 1);
      assertEquals(mean, std * std + mean * mean, 1e-9, "a 0/1 column's second moment is its mean");
      seen += a[3 * FEATURES + j] == 1 ? 1 : 0;
    }
    assertTrue(seen > FEATURES / 2, "most features occur: " + seen);

    // The model folder has its own copy and loads to the same statistics.
    assertArrayEquals(Files.readAllBytes(run.resolve("stats-features.npy")),
        Files.readAllBytes(run.resolve("model/stats-features.npy")));
    JsonNode model = JSON.readTree(run.resolve("model/model.json").toFile());
    assertEquals(f.get("names"), model.get("features"));
    assertEquals(stats, model.get("normalization"));
    TrainedModel loaded = ModelFiles.load(conf, run.resolve("model").toString());
    assertEquals(FEATURES, loaded.features().size());
    assertEquals("f5000", loaded.features().get(FEATURES - 1));
    assertArrayEquals(a, loaded.stats().featureArrays());
    assertFalse(loaded.stats().centered());

    // Checkpoints hold the parameters and a few hundred bytes of statistics (the sidecar's checksum).
    long paramsBytes = Files.size(run.resolve("model/W1.npy")) + Files.size(run.resolve("model/b1.npy"));
    try (Stream<Path> ckpts = Files.list(run.resolve("checkpoints"))) {
      for (Path c : ckpts.filter(p -> p.getFileName().toString().startsWith("ckpt-")).toList()) {
        assertTrue(Files.size(c.resolve("stats.json")) < 2048, c + "/stats.json");
        assertEquals(f.get("sha256"), JSON.readTree(c.resolve("stats.json").toFile()).get("features").get("sha256"));
        assertTrue(folderBytes(c) < paramsBytes + 16384, c + ": " + folderBytes(c) + " bytes");
      }
    }

    // evaluate and predict read the wide model and reproduce the run's test metrics.
    Path testRows = run.resolve("splits/test.libsvm");
    Path out = dir.resolve("wide-eval.json");
    CliRunner e = CliRunner.run("evaluate", "--model", run.toString(), "--input", testRows.toString(), "--output",
        out.toString());
    assertEquals(0, e.code(), e.err());
    JsonNode metrics = JSON.readTree(run.resolve("metrics.json").toFile());
    JsonNode evaluated = JSON.readTree(out.toFile());
    // (f1 is left out: metrics.json has the support-weighted F1, evaluation.json the positive class's.)
    for (String m : List.of("accuracy", "logloss", "rows")) {
      assertEquals(metrics.get("test").get(m).asDouble(), evaluated.get(m).asDouble(), 1e-12, m);
    }
    Path predictions = dir.resolve("wide-predictions.csv");
    CliRunner p = CliRunner.run("predict", "--model", run.toString(), "--input", testRows.toString(), "--output",
        predictions.toString());
    assertEquals(0, p.code(), p.err());
    assertEquals(metrics.get("test").get("rows").asLong() + 1, Files.readAllLines(predictions).size());

    // One epoch, then resumed to two: the same parameters as the two-epoch run, bit for bit.
    Path half = dir.resolve("wide-half");
    assertEquals(0, CliRunner.run(train(data, half, 1)).code());
    CliRunner resumed = CliRunner.run(train(data, half, 2, "--resume"));
    assertEquals(0, resumed.code(), resumed.err());
    for (String file : List.of("W1.npy", "b1.npy", "stats-features.npy")) {
      assertArrayEquals(Files.readAllBytes(run.resolve("model/" + file)),
          Files.readAllBytes(half.resolve("model/" + file)), file);
    }

    // Other rows under the same name: their statistics differ, and resume refuses them.
    Path moved = dir.resolve("wide-data-copy");
    Path other = dir.resolve("wide-half-other");
    assertEquals(0, CliRunner.run("generate", "--kind", "sparse-logistic", "--features", "" + FEATURES, "--nnz",
        "20", "--rows", "800", "--seed", "3", "--out", moved.toString()).code());
    assertEquals(0, CliRunner.run(train(moved, other, 1)).code());
    assertEquals(0, CliRunner.run("generate", "--kind", "sparse-logistic", "--features", "" + FEATURES, "--nnz",
        "20", "--rows", "800", "--seed", "4", "--out", moved.toString(), "--overwrite").code());
    CliRunner refused = CliRunner.run(train(moved, other, 2, "--resume"));
    assertFalse(refused.code() == 0, refused.err());
    assertTrue(refused.err().contains("its statistics differ"), refused.err());
  }

  private static String[] train(Path data, Path out, int epochs, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("train", "jobs/boston-linear.conf", "--out",
        out.toString(), "--set", "data.train=\"" + data + "\"", "--set", "data.format=libsvm", "--set",
        "data.num-features=" + FEATURES, "--set", "data.representation=sparse", "--set", "data.label=label", "--set",
        "model.loss=bce", "--set", "training.epochs=" + epochs, "--set", "training.batch-size=64"));
    args.addAll(List.of(more));
    return args.toArray(new String[0]);
  }

  private static String fixture(String name) throws IOException {
    try (InputStream in = WideStatsFilesTest.class.getResourceAsStream("/fixtures/boston-linear-4-epochs/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String sha256(Path p) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }

  private static long folderBytes(Path p) throws IOException {
    try (Stream<Path> s = Files.list(p)) {
      long total = 0;
      for (Path f : s.toList()) {
        total += Files.size(f);
      }
      return total;
    }
  }
}
