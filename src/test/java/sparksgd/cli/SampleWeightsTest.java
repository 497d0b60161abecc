package sparksgd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.testing.SparkTest;
import sparksgd.train.ModelFiles;
import sparksgd.train.TrainedModel;

/**
 * data.weight on Boston: full-batch training (batch size = every training row) with integer weights 0..3
 * equals full-batch training on the same rows repeated that many times (0 = left out), to 1e-9 relative:
 * the statistics (stats.json), the final parameters and the test metrics, in both engines and for a
 * linear model and an MLP. Bad weights are one-line errors naming file, line and column.
 */
@SparkTest
class SampleWeightsTest {
  static SparkSession spark;
  @TempDir
  static Path dir;
  static Path weighted;
  static Path repeated;
  static Path test;
  static int weightedRows;
  static int repeatedRows;

  @BeforeAll
  static void start() throws IOException {
    List<String> lines;
    try (InputStream in = SampleWeightsTest.class.getResourceAsStream("/datasets/boston_housing.csv")) {
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    String header = lines.get(0) + ",W";
    List<String> w = new ArrayList<>(List.of(header));
    List<String> rep = new ArrayList<>(List.of(header));
    List<String> held = new ArrayList<>(List.of(header));
    SplittableRandom rnd = new SplittableRandom(22);
    for (int i = 1; i < lines.size(); i++) {
      if (i % 5 == 0) {
        held.add(lines.get(i) + ",1");
        continue;
      }
      int k = rnd.nextInt(4);
      w.add(lines.get(i) + "," + k);
      for (int t = 0; t < k; t++) {
        rep.add(lines.get(i) + ",1");
      }
    }
    weightedRows = w.size() - 1;
    repeatedRows = rep.size() - 1;
    weighted = Files.write(dir.resolve("weighted.csv"), w);
    repeated = Files.write(dir.resolve("repeated.csv"), rep);
    test = Files.write(dir.resolve("test.csv"), held);
  }

  private static CliRunner train(Path out, Path data, int rows, String... sets) {
    List<String> args = new ArrayList<>(List.of("train", "jobs/boston-linear.conf", "--out", out.toString(),
        "--set", "data.train=\"" + data + "\"", "--set", "data.test=\"" + test + "\"",
        "--set", "training.epochs=4", "--set", "training.batch-size=" + rows));
    for (String s : sets) {
      args.add("--set");
      args.add(s);
    }
    return CliRunner.run(args.toArray(new String[0]));
  }

  /** Weighted and repeated runs with the same extra settings; asserts they agree. */
  private static void compare(String name, String... sets) throws IOException {
    Path a = dir.resolve(name + "-weighted");
    Path b = dir.resolve(name + "-repeated");
    List<String> wa = new ArrayList<>(List.of(sets));
    wa.add("data.weight=W");
    List<String> wb = new ArrayList<>(List.of(sets));
    wb.add("data.drop=[W]");
    CliRunner ra = train(a, weighted, weightedRows, wa.toArray(new String[0]));
    assertEquals(0, ra.code(), ra.err());
    CliRunner rb = train(b, repeated, repeatedRows, wb.toArray(new String[0]));
    assertEquals(0, rb.code(), rb.err());

    ObjectMapper json = new ObjectMapper();
    JsonNode sa = json.readTree(a.resolve("stats.json").toFile()).get("columns");
    JsonNode sb = json.readTree(b.resolve("stats.json").toFile()).get("columns");
    assertEquals(14, sa.size(), "13 features and the label; W is no feature");
    assertEquals(sb.size(), sa.size());
    for (int j = 0; j < sa.size(); j++) {
      assertEquals(sb.get(j).get("name").asText(), sa.get(j).get("name").asText());
      for (String f : List.of("mean", "std", "min", "max", "shift", "scale")) {
        close(sb.get(j).get(f).asDouble(), sa.get(j).get(f).asDouble(), name + " stats " + f + " of column " + j);
      }
    }
    Configuration conf = new Configuration();
    TrainedModel ma = ModelFiles.load(conf, a.resolve("model").toString());
    TrainedModel mb = ModelFiles.load(conf, b.resolve("model").toString());
    double scale = 0;
    double diff = 0;
    for (int i = 0; i < mb.params().length; i++) {
      scale = Math.max(scale, Math.abs(mb.params()[i]));
      diff = Math.max(diff, Math.abs(ma.params()[i] - mb.params()[i]));
    }
    System.out.printf("sample weights %s: %d weighted rows vs %d repeated, max parameter difference %.3g (largest "
        + "parameter %.3g)%n", name, weightedRows, repeatedRows, diff, scale);
    assertTrue(diff <= 1e-9 * scale, name + ": parameters differ by " + diff);
    JsonNode ta = json.readTree(a.resolve("metrics.json").toFile()).get("test");
    JsonNode tb = json.readTree(b.resolve("metrics.json").toFile()).get("test");
    for (String f : List.of("mse", "mae")) {
      close(tb.get(f).asDouble(), ta.get(f).asDouble(), name + " test " + f);
    }
  }

  private static void close(double expected, double actual, String what) {
    assertTrue(Math.abs(expected - actual) <= 1e-9 * Math.max(1e-300, Math.abs(expected)) + 1e-15,
        what + ": " + actual + " vs " + expected);
  }

  @Test
  void weightedFullBatchEqualsRepeatedRowsInBothEngines() throws IOException {
    compare("linear-jobs", "training.engine=jobs");
    // evaluate --weight: the weighted rows score as the repeated ones; without --weight W is ignored.
    String model = dir.resolve("linear-jobs-weighted/model").toString();
    ObjectMapper json = new ObjectMapper();
    JsonNode[] scored = new JsonNode[3];
    String[][] inputs = {{weighted.toString(), "--weight", "W"}, {repeated.toString()}, {weighted.toString()}};
    for (int i = 0; i < 3; i++) {
      Path out = dir.resolve("eval-" + i + ".json");
      List<String> a = new ArrayList<>(List.of("evaluate", "--model", model, "--output", out.toString(), "--input"));
      a.addAll(List.of(inputs[i]));
      CliRunner r = CliRunner.run(a.toArray(new String[0]));
      assertEquals(0, r.code(), r.err());
      scored[i] = json.readTree(out.toFile());
    }
    for (String f : List.of("mse", "mae", "r2")) {
      close(scored[1].get(f).asDouble(), scored[0].get(f).asDouble(), "evaluate --weight " + f);
    }
    assertEquals(weightedRows, scored[2].get("rows").asInt());
    assertTrue(Math.abs(scored[2].get("mae").asDouble() - scored[1].get("mae").asDouble()) > 1e-6,
        "unweighted evaluation differs from the weighted one");
    compare("linear-gang", "training.engine=gang");
    compare("mlp-gang", "training.engine=gang", "model.type=mlp", "model.hidden=[6]", "optimizer.type=adam",
        "optimizer.learning-rate=0.01");
  }

  /** cv reads the weights (weighted fold statistics, training and held-out metrics): weights of 1 change nothing. */
  @Test
  void cvWithUnitWeightsEqualsUnweightedCv() throws IOException {
    List<String> lines = Files.readAllLines(weighted);
    List<String> ones = new ArrayList<>(List.of(lines.get(0)));
    for (String l : lines.subList(1, lines.size())) {
      ones.add(l.substring(0, l.lastIndexOf(',')) + ",1");
    }
    Path file = Files.write(dir.resolve("ones.csv"), ones);
    List<List<String>> histories = new ArrayList<>();
    for (String set : List.of("data.weight=W", "data.drop=[W]")) {
      Path out = dir.resolve("cv-" + histories.size());
      CliRunner r = CliRunner.run("cv", "jobs/boston-linear.conf", "--folds", "3", "--out", out.toString(),
          "--set", "data.train=\"" + file + "\"", "--set", "training.epochs=3", "--set", set);
      assertEquals(0, r.code(), r.err());
      histories.add(Files.readAllLines(out.resolve("cv_history.csv")));
    }
    assertEquals(histories.get(1).size(), histories.get(0).size());
    assertEquals(histories.get(1).get(0), histories.get(0).get(0));
    for (int i = 1; i < histories.get(0).size(); i++) {
      String[] a = histories.get(0).get(i).split(",");
      String[] b = histories.get(1).get(i).split(",");
      for (int j = 0; j < b.length; j++) {
        close(Double.parseDouble(b[j]), Double.parseDouble(a[j]), "cv_history line " + i + " column " + j);
      }
    }
  }

  /** Weighted mini-batches (allreduce exchange) resumed from a checkpoint end on the same bits as a straight run. */
  @Test
  void weightedRunsResumeToTheSameWeights() throws IOException {
    String[] common = {"--set", "data.weight=W", "--set", "training.batch-size=32", "--set", "training.engine=gang",
        "--set", "training.exchange=allreduce"};
    Path straight = dir.resolve("straight");
    Path resumed = dir.resolve("resumed");
    List<String> a = new ArrayList<>(List.of("train", "jobs/boston-linear.conf", "--out", straight.toString(),
        "--set", "data.train=\"" + weighted + "\"", "--set", "training.epochs=4"));
    a.addAll(List.of(common));
    assertEquals(0, CliRunner.run(a.toArray(new String[0])).code());
    List<String> b = new ArrayList<>(List.of("train", "jobs/boston-linear.conf", "--out", resumed.toString(),
        "--set", "data.train=\"" + weighted + "\"", "--set", "training.epochs=2"));
    b.addAll(List.of(common));
    assertEquals(0, CliRunner.run(b.toArray(new String[0])).code());
    List<String> c = new ArrayList<>(List.of("train", "jobs/boston-linear.conf", "--out", resumed.toString(),
        "--resume", "--set", "data.train=\"" + weighted + "\"", "--set", "training.epochs=4"));
    c.addAll(List.of(common));
    CliRunner r = CliRunner.run(c.toArray(new String[0]));
    assertEquals(0, r.code(), r.err());
    for (String t : List.of("W1", "b1")) {
      assertEquals(java.util.Arrays.toString(Files.readAllBytes(straight.resolve("model/" + t + ".npy"))),
          java.util.Arrays.toString(Files.readAllBytes(resumed.resolve("model/" + t + ".npy"))), t);
    }
  }

  @Test
  void badWeightsAreOneLineErrors() throws IOException {
    Path bad = Files.write(dir.resolve("bad.csv"), List.of("a,b,y,W", "1,2,3,1", "4,5,6,-0.5"));
    CliRunner r = CliRunner.run("train", "jobs/boston-linear.conf", "--out", dir.resolve("bad-run").toString(),
        "--set", "data.train=\"" + bad + "\"", "--set", "data.label=y", "--set", "data.weight=W",
        "--set", "data.test-fraction=0");
    assertEquals(ExitCodes.DATA, r.code(), r.err());
    String err = r.err().strip();
    assertEquals(1, err.lines().count(), err);
    assertTrue(err.startsWith("error: ") && err.contains("bad.csv") && err.contains("3") && err.contains("W")
        && err.contains(">= 0"), err);
    CliRunner missing = CliRunner.run("train", "jobs/boston-linear.conf", "--out", dir.resolve("bad-run2").toString(),
        "--set", "data.train=\"" + bad + "\"", "--set", "data.label=y", "--set", "data.weight=V");
    assertEquals(ExitCodes.DATA, missing.code(), missing.err());
    assertEquals(1, missing.err().strip().lines().count(), missing.err());
    CliRunner label = CliRunner.run("train", "jobs/boston-linear.conf", "--out", dir.resolve("bad-run3").toString(),
        "--set", "data.train=\"" + bad + "\"", "--set", "data.label=y", "--set", "data.weight=y");
    assertEquals(ExitCodes.USAGE, label.code(), label.err());
    assertTrue(label.err().strip().startsWith("error: ") && label.err().contains("data.weight"), label.err());
    assertEquals(1, label.err().strip().lines().count(), label.err());
  }
}
