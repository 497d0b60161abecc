package sparksgd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * jobs/boston-categorical.conf end to end: vocabulary.json beside stats.json and in model/, evaluate on the
 * run's own test rows gives its test metrics, and a bad key is one error line with exit code 2.
 */
@SparkTest
class CategoricalCliTest {
  static SparkSession spark;
  @TempDir
  static Path dir;

  @Test
  void theBostonCategoricalJobSavesItsVocabularyAndEvaluatesAsItRan() throws Exception {
    Path run = dir.resolve("rad");
    CliRunner t = CliRunner.run("train", "jobs/boston-categorical.conf", "--out", run.toString(), "--save-splits",
        "--set", "training.epochs=5");
    assertEquals(0, t.code(), t.err());
    ObjectMapper json = new ObjectMapper();
    JsonNode vocabulary = json.readTree(run.resolve("vocabulary.json").toFile());
    assertEquals(json.readTree(run.resolve("model/vocabulary.json").toFile()), vocabulary);
    JsonNode rad = vocabulary.get("columns").get(0);
    assertEquals("RAD", rad.get("name").asText());
    assertEquals(9, rad.get("values").size());
    long counted = 0;
    for (JsonNode n : rad.get("training-rows")) {
      counted += n.asLong();
    }
    JsonNode stats = json.readTree(run.resolve("stats.json").toFile());
    assertEquals(stats.get("count").asLong(), counted, "the vocabulary counts the training rows only");
    assertFalse(vocabulary.get("numeric").toString().contains("RAD"));

    Path out = dir.resolve("eval.json");
    CliRunner e = CliRunner.run("evaluate", "--model", run.toString(), "--input",
        run.resolve("splits/test.csv").toString(), "--output", out.toString());
    assertEquals(0, e.code(), e.err());
    JsonNode metrics = json.readTree(run.resolve("metrics.json").toFile());
    JsonNode evaluated = json.readTree(out.toFile());
    for (String m : List.of("mae", "rmse", "r2")) {
      assertEquals(metrics.get("test").get(m).asDouble(), evaluated.get(m).asDouble(), 1e-9, m);
    }

    // A test file without the categorical column cannot be encoded: bad data naming the column.
    List<String> rows = Files.readAllLines(run.resolve("splits/test.csv"));
    Path noRad = dir.resolve("no-rad.csv");
    Files.write(noRad, rows.stream().map(l -> l.replaceFirst("^(([^,]*,){8})[^,]*,", "$1")).toList());
    CliRunner missing = CliRunner.run("predict", "--model", run.toString(), "--input", noRad.toString(), "--output",
        dir.resolve("p.csv").toString());
    assertEquals(3, missing.code(), missing.err());
    assertTrue(missing.err().contains("column 'RAD': missing categorical column of the model"), missing.err());
  }

  @Test
  void badCategoricalKeysExitWithOneErrorLine() {
    CliRunner r = CliRunner.run("train", "jobs/boston-categorical.conf", "--out", dir.resolve("bad").toString(),
        "--set", "data.categorical=[RAD, ROOMS]");
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().startsWith("error: config key 'data.categorical': names 'ROOMS', which is not a column of "
        + "builtin:boston_housing.csv"), r.err());
    assertFalse(Files.exists(dir.resolve("bad").resolve("stats.json")));
  }
}
