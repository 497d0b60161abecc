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
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.testing.SparkTest;

@SparkTest
class PredictCommandTest {
  static SparkSession spark;
  @TempDir
  static Path dir;
  static Path run;
  static Path test;
  static List<String> lines;

  @BeforeAll
  static void trainOnAFixedSplit() throws IOException {
    try (InputStream in = PredictCommandTest.class.getClassLoader().getResourceAsStream("datasets/boston_housing.csv")) {
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    // Every fifth row is the test set, in its own file.
    StringBuilder tr = new StringBuilder(lines.get(0)).append('\n');
    StringBuilder te = new StringBuilder(lines.get(0)).append('\n');
    for (int i = 1; i < lines.size(); i++) {
      (i % 5 == 0 ? te : tr).append(lines.get(i)).append('\n');
    }
    Path train = dir.resolve("train.csv");
    test = dir.resolve("test.csv");
    Files.writeString(train, tr);
    Files.writeString(test, te);
    run = dir.resolve("run");
    CliRunner r = CliRunner.run("train", "jobs/boston-mlp.conf", "--out", run.toString(), "--set",
        "training.epochs=10", "--set", "data.train=\"" + train + "\"", "--set", "data.test=\"" + test + "\"");
    assertEquals(0, r.code(), r.err());
  }

  @Test
  void evaluateReproducesTheTestMetricsTrainReported() throws IOException {
    Path out = dir.resolve("eval.json");
    CliRunner r = CliRunner.run("evaluate", "--model", run.toString(), "--input", test.toString(), "--output",
        out.toString());
    assertEquals(0, r.code(), r.err());
    ObjectMapper m = new ObjectMapper();
    JsonNode trained = m.readTree(run.resolve("metrics.json").toFile()).get("test");
    JsonNode evaluated = m.readTree(out.toFile());
    for (String k : List.of("mae", "rmse", "r2")) {
      assertEquals(trained.get(k).asDouble(), evaluated.get(k).asDouble(), 1e-9 * Math.abs(trained.get(k).asDouble()), k);
    }
  }

  @Test
  void predictionsDoNotDependOnColumnOrderAndKeepTheInput() throws IOException {
    // The same rows with the columns reversed and no label column.
    String[] header = lines.get(0).split(",");
    List<String> reversed = new ArrayList<>();
    for (String l : Files.readAllLines(test)) {
      String[] c = l.split(",");
      StringBuilder sb = new StringBuilder();
      for (int j = c.length - 2; j >= 0; j--) { // drop MEDV (last), reverse the rest
        sb.append(c[j]).append(j > 0 ? "," : "");
      }
      reversed.add(sb.toString());
    }
    Path rev = dir.resolve("reversed.csv");
    Files.write(rev, reversed);
    Path a = dir.resolve("a.csv");
    Path b = dir.resolve("b.csv");
    assertEquals(0, CliRunner.run("predict", "--model", run.resolve("model").toString(), "--input", test.toString(),
        "--output", a.toString()).code());
    assertEquals(0, CliRunner.run("predict", "--model", run.toString(), "--input", rev.toString(), "--output",
        b.toString()).code());
    List<String> pa = Files.readAllLines(a);
    List<String> pb = Files.readAllLines(b);
    assertEquals(pa.size(), pb.size());
    assertEquals(lines.get(0) + ",prediction", pa.get(0));
    assertEquals(header.length + 1, pa.get(1).split(",").length);
    for (int i = 1; i < pa.size(); i++) {
      String[] ra = pa.get(i).split(",");
      String[] rb = pb.get(i).split(",");
      assertEquals(ra[ra.length - 1], rb[rb.length - 1], "row " + i);
    }
    // An existing output is not replaced without --overwrite.
    assertEquals(ExitCodes.USAGE, CliRunner.run("predict", "--model", run.toString(), "--input", test.toString(),
        "--output", a.toString()).code());
  }

  @Test
  void missingFeatureColumnIsABadDataError() throws IOException {
    Path bad = dir.resolve("nofeature.csv");
    Files.writeString(bad, "CRIM,ZN\n1,2\n");
    CliRunner r = CliRunner.run("predict", "--model", run.toString(), "--input", bad.toString(), "--output",
        dir.resolve("never.csv").toString());
    assertEquals(ExitCodes.DATA, r.code());
    assertTrue(r.err().contains("missing feature column"), r.err());
    assertTrue(!Files.exists(dir.resolve("never.csv")));
  }

  @Test
  void aCraftedModelFileIsRefusedBeforeAllocating() throws IOException {
    Path crafted = dir.resolve("crafted");
    Files.createDirectories(crafted);
    String json = Files.readString(run.resolve("model/model.json")).replace("\"inputs\" : 13", "\"inputs\" : 2000000000");
    Files.writeString(crafted.resolve("model.json"), json);
    CliRunner r = CliRunner.run("predict", "--model", crafted.toString(), "--input", test.toString(), "--output",
        dir.resolve("never2.csv").toString());
    assertEquals(ExitCodes.DATA, r.code());
    assertTrue(r.err().contains("implausible") || r.err().contains("parameters"), r.err());
  }
}
