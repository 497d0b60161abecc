package sparksgd.cli;

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
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.testing.SparkTest;

/**
 * model.init-from through the CLI on Boston: every 5th row is the test file, the rest training rows.
 * A model trained for 5 epochs on half of the training rows (every other one) and then fine-tuned for 5
 * epochs on all of them at a lower learning rate (0.02 against the job's 0.05) ends at least as good (test
 * MAE) as one trained from scratch for the same 10 epochs, and better than its start.
 */
@SparkTest
class WarmStartTest {
  static SparkSession spark;
  @TempDir
  static Path dir;
  static Path all;
  static Path half;
  static Path test;

  @BeforeAll
  static void start() throws IOException {
    List<String> lines;
    try (InputStream in = WarmStartTest.class.getResourceAsStream("/datasets/boston_housing.csv")) {
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    List<String> train = new ArrayList<>(List.of(lines.get(0)));
    List<String> held = new ArrayList<>(List.of(lines.get(0)));
    for (int i = 1; i < lines.size(); i++) {
      (i % 5 == 0 ? held : train).add(lines.get(i));
    }
    all = Files.write(dir.resolve("all.csv"), train);
    // Every other training row: Boston's rows are ordered by town, so its first half alone would be a
    // different population (and its statistics would blow up the second half's features).
    List<String> alternate = new ArrayList<>(List.of(lines.get(0)));
    for (int i = 1; i < train.size(); i += 2) {
      alternate.add(train.get(i));
    }
    half = Files.write(dir.resolve("half.csv"), alternate);
    test = Files.write(dir.resolve("test.csv"), held);
  }

  private static CliRunner train(Path out, Path data, int epochs, String... sets) {
    List<String> args = new ArrayList<>(List.of("train", "jobs/boston-linear.conf", "--out", out.toString(),
        "--set", "data.train=\"" + data + "\"", "--set", "data.test=\"" + test + "\"",
        "--set", "training.epochs=" + epochs, "--set", "training.engine=jobs",
        // A cosine schedule ends every run at a small rate, so the final figures are not SGD noise.
        "--set", "optimizer.schedule.type=cosine"));
    for (String s : sets) {
      args.add("--set");
      args.add(s);
    }
    return CliRunner.run(args.toArray(new String[0]));
  }

  private static double testMae(Path run) throws IOException {
    JsonNode m = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
    return m.get("test").get("mae").asDouble();
  }

  @Test
  void fineTuningEndsAtLeastAsGoodAsScratch() throws IOException {
    int e = 5;
    Path first = dir.resolve("half-run");
    CliRunner a = train(first, half, e);
    assertEquals(0, a.code(), a.err());
    Path tuned = dir.resolve("tuned");
    // Fine-tuning at a lower rate than the job's 0.05: the start is already good, a full rate only shakes it.
    CliRunner b = train(tuned, all, e, "model.init-from=\"" + first + "\"", "optimizer.learning-rate=0.02");
    assertEquals(0, b.code(), b.err());
    Path scratch = dir.resolve("scratch");
    CliRunner c = train(scratch, all, 2 * e);
    assertEquals(0, c.code(), c.err());
    double warm = testMae(tuned);
    double cold = testMae(scratch);
    double halfOnly = testMae(first);
    System.out.printf("warm start (test MAE): half %.4f, half+all %.4f, scratch %.4f%n", halfOnly, warm, cold);
    assertTrue(warm < halfOnly, "fine-tuning on all rows improves on the half model: " + warm + " vs " + halfOnly);
    assertTrue(warm <= cold, "warm " + warm + " vs scratch " + cold);
    // The model folder itself works too, and stats came from the starting model (same stats.json).
    assertEquals(Files.readString(first.resolve("stats.json")), Files.readString(tuned.resolve("stats.json")));
    CliRunner d = train(dir.resolve("tuned2"), all, 1, "model.init-from=\"" + first.resolve("model") + "\"",
        "data.stats-from=data");
    assertEquals(0, d.code(), d.err());
    assertFalse(Files.readString(first.resolve("stats.json")).equals(Files.readString(dir.resolve("tuned2/stats.json"))));
  }

  @Test
  void wrongShapeIsOneLineError() throws IOException {
    Path first = dir.resolve("small");
    assertEquals(0, train(first, half, 1).code());
    CliRunner r = train(dir.resolve("bad"), all, 1, "model.init-from=\"" + first + "\"", "data.drop=[B]");
    assertEquals(2, r.code(), r.err());
    String err = r.err().strip();
    assertEquals(1, err.lines().count(), err);
    assertTrue(err.startsWith("error: ") && err.contains("model.init-from") && err.contains("W1[13x1]")
        && err.contains("W1[12x1]"), err);
    CliRunner none = train(dir.resolve("bad2"), all, 1, "model.init-from=\"" + dir.resolve("nowhere") + "\"");
    assertEquals(2, none.code(), none.err());
    assertEquals(1, none.err().strip().lines().count(), none.err());
  }
}
