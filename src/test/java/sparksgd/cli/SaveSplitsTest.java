package sparksgd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.testing.SparkTest;

/**
 * train --save-splits keeps the run's held-out rows as the input had them, and evaluate on them gives the
 * run's own test metrics; a classifier's report carries its test confusion matrix.
 */
@SparkTest
class SaveSplitsTest {
  static SparkSession spark;
  @TempDir
  static Path dir;

  @Test
  void evaluateOnTheSavedTestRowsReproducesTheRunsTestMetrics() throws Exception {
    Path run = dir.resolve("boston");
    CliRunner t = CliRunner.run("train", "jobs/boston-linear.conf", "--out", run.toString(), "--save-splits",
        "--set", "training.epochs=5");
    assertEquals(0, t.code(), t.err());
    List<String> rows = Files.readAllLines(run.resolve("splits/test.csv"));
    assertTrue(rows.get(0).startsWith("CRIM,") && rows.get(0).endsWith(",MEDV"), rows.get(0));
    JsonNode metrics = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
    assertEquals(metrics.get("test").get("rows").asDouble(), rows.size() - 1, "one line per test row, and a header");
    Path out = dir.resolve("eval.json");
    CliRunner e = CliRunner.run("evaluate", "--model", run.toString(), "--input", run.resolve("splits/test.csv")
        .toString(), "--output", out.toString());
    assertEquals(0, e.code(), e.err());
    JsonNode evaluated = new ObjectMapper().readTree(out.toFile());
    for (String m : List.of("mae", "rmse", "r2")) {
      assertEquals(metrics.get("test").get(m).asDouble(), evaluated.get(m).asDouble(), 1e-9, m);
    }
  }

  @Test
  void aClassifiersReportShowsItsTestConfusionMatrix() throws Exception {
    Path run = dir.resolve("bc");
    CliRunner t = CliRunner.run("train", "jobs/breast-cancer.conf", "--out", run.toString(), "--set",
        "training.epochs=3");
    assertEquals(0, t.code(), t.err());
    String html = Files.readString(run.resolve("report.html"));
    assertTrue(html.contains("<table class=\"confusion\">"), "a confusion matrix in the report");
    JsonNode metrics = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
    long testRows = metrics.get("test").get("rows").asLong();
    long counted = 0;
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("<td class=\"num\" style=\"[^\"]*\">(\\d+)</td>")
        .matcher(html);
    while (m.find()) {
      counted += Long.parseLong(m.group(1));
    }
    assertEquals(testRows, counted, "every test row counted once");
  }
}
