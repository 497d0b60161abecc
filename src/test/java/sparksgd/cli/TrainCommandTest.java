package sparksgd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.testing.SparkTest;

@SparkTest
class TrainCommandTest {
  static SparkSession spark;
  @TempDir
  static Path dir;

  @Test
  void trainsTheEmbeddedBostonJobAndWritesTheRunFolder() throws IOException {
    Path out = dir.resolve("run");
    CliRunner r = CliRunner.run("train", "jobs/boston-linear.conf", "--out", out.toString(), "--set", "training.epochs=4");
    assertEquals(0, r.code(), r.err());
    for (String f : List.of("job.conf", "stats.json", "history.csv", "metrics.json", "model/model.json", "model/W1.npy",
        "model/b1.npy")) {
      assertTrue(Files.exists(out.resolve(f)), f);
    }
    List<String> history = Files.readAllLines(out.resolve("history.csv"));
    assertEquals(5, history.size());
    assertTrue(history.get(0).startsWith("epoch,train_loss"));
    JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    for (String split : List.of("train", "test")) {
      for (String k : List.of("mse", "mae", "rmse", "r2")) {
        assertTrue(m.get(split).get(k).isNumber(), split + "." + k);
      }
      assertEquals(Math.sqrt(m.get(split).get("mse").asDouble()), m.get(split).get("rmse").asDouble(), 1e-9);
    }
    assertEquals(4, m.get("epochs").asInt());
    // Where the time went: every phase is there, and the parts of training fit inside it.
    JsonNode t = m.get("timings");
    for (String k : List.of("spark_start", "read_validate_cache", "engine_start", "training_steps", "evaluation",
        "checkpoints", "training", "report", "total")) {
      assertTrue(t.get(k).isNumber() && t.get(k).asDouble() >= 0, "timings." + k + " in " + t);
    }
    double parts = t.get("engine_start").asDouble() + t.get("training_steps").asDouble()
        + t.get("evaluation").asDouble() + t.get("checkpoints").asDouble();
    assertTrue(parts <= t.get("training").asDouble() + 0.01, "training's parts within training: " + t);
    assertTrue(t.get("training").asDouble() + t.get("report").asDouble() <= t.get("total").asDouble(), t.toString());
    // Checkpoints are written in the background, but the run ends only once the last epoch's is on disk.
    Path newest;
    try (java.util.stream.Stream<Path> s = Files.list(out.resolve("checkpoints"))) {
      newest = s.filter(p -> p.getFileName().toString().startsWith("ckpt-")).max(Path::compareTo).orElseThrow();
    }
    assertEquals(4, new ObjectMapper().readTree(newest.resolve("state.json").toFile()).get("epoch").asInt());
    assertTrue(m.get("test").get("mae").asDouble() < 6, "a few epochs already beat the mean predictor");
    JsonNode stats = new ObjectMapper().readTree(out.resolve("stats.json").toFile());
    assertEquals(14, stats.get("columns").size());
    assertEquals("MEDV", stats.get("columns").get(13).get("name").asText());
    assertTrue(Files.readString(out.resolve("job.conf")).contains("learning-rate"));

    // The same folder again is refused, without touching it, unless --overwrite.
    CliRunner again = CliRunner.run("train", "jobs/boston-linear.conf", "--out", out.toString(), "--set", "training.epochs=1");
    assertEquals(ExitCodes.USAGE, again.code());
    assertTrue(again.err().contains("not empty"), again.err());
    assertEquals(5, Files.readAllLines(out.resolve("history.csv")).size());
    assertEquals(0, CliRunner.run("train", "jobs/boston-linear.conf", "--out", out.toString(), "--overwrite",
        "--set", "training.epochs=1").code());
    assertEquals(2, Files.readAllLines(out.resolve("history.csv")).size());
  }

  private static void assertFails(int code, String messagePart, Path out, String... args) {
    CliRunner r = CliRunner.run(args);
    assertEquals(code, r.code(), r.err());
    assertTrue(r.err().startsWith("error: "), r.err());
    assertTrue(r.err().contains(messagePart), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace without --verbose: " + r.err());
    assertFalse(Files.exists(out), "no output folder left behind");
  }

  private static String csv(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, text.getBytes(StandardCharsets.ISO_8859_1));
    return p.toString();
  }

  @Test
  void badInputGivesItsExitCodeAndNamesThePlace() throws IOException {
    Path out = dir.resolve("never");
    String[][] cases = {
        {csv("a.csv", "x,y\n1,2\n3,abc\n"), "a.csv:3, column 'y': not a number"},
        {csv("b.csv", "x,z,y\n1,2,3\n4,5\n"), "b.csv:3"},
        {csv("c.csv", "x,y\n1,2,3\n"), "c.csv:2"},
        {csv("d.csv", "x,y\nNaN,2\n"), "column 'x'"},
        {csv("e.csv", "x,y\n-Infinity,2\n"), "column 'x'"},
        {csv("f.csv", "x,y\n1,\n"), "empty value"},
        {csv("g.csv", ""), "the file is empty"},
        {csv("h.csv", "x,y\n"), "no data rows"},
        {csv("i.csv", "x,w\n1,2\n"), "no label column named 'y'"},
        {csv("j.csv", "x,x,y\n1,2,3\n"), "duplicate column name"},
        {csv("k.bin", "\u0000\u00ff\u00fe\u0001binary\u0000,\u0003\n\u0002\u0000\n"), "k.bin"},
    };
    for (String[] c : cases) {
      assertFails(ExitCodes.DATA, c[1], out, "train", "jobs/boston-linear.conf", "--out", out.toString(),
          "--set", "data.train=\"" + c[0] + "\"", "--set", "data.label=y");
    }
  }

  @Test
  void badConfigGivesExitTwoAndNamesTheKey() {
    Path out = dir.resolve("never2");
    assertFails(ExitCodes.USAGE, "optimizer.learning-rate", out, "train", "jobs/boston-linear.conf", "--out",
        out.toString(), "--set", "optimizer.learning-rate=-0.1");
    assertFails(ExitCodes.USAGE, "training.batch-size", out, "train", "jobs/boston-linear.conf", "--out",
        out.toString(), "--set", "training.batch-size=0");
    assertFails(ExitCodes.USAGE, "did you mean 'training.epochs'", out, "train", "jobs/boston-linear.conf", "--out",
        out.toString(), "--set", "training.epoch=3");
    assertFails(ExitCodes.USAGE, "job file not found", out, "train", "jobs/nope.conf", "--out", out.toString());
    assertFails(ExitCodes.USAGE, "Unknown option", out, "train", "jobs/boston-linear.conf", "--bogus");
  }

  @Test
  void verboseAddsTheStackTrace() {
    Path out = dir.resolve("never3");
    CliRunner r = CliRunner.run("train", "jobs/boston-linear.conf", "--verbose", "--out", out.toString(), "--set",
        "optimizer.learning-rate=0");
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("\tat "), r.err());
  }

  @Test
  void divergenceExitsWithFourAndSaysWhatToDo() {
    Path out = dir.resolve("diverged");
    CliRunner r = CliRunner.run("train", "jobs/boston-linear.conf", "--out", out.toString(), "--set",
        "optimizer.learning-rate=50", "--set", "training.epochs=20", "--set", "data.normalize=none");
    assertEquals(ExitCodes.DIVERGED, r.code(), r.err());
    assertTrue(r.err().contains("diverged") && r.err().contains("lower optimizer.learning-rate"), r.err());
  }

  @Test
  void helpAndVersion() {
    CliRunner help = CliRunner.run("train", "--help");
    assertEquals(0, help.code());
    assertTrue(help.out().contains("--overwrite"));
    CliRunner version = CliRunner.run("--version");
    assertEquals(0, version.code());
    assertTrue(version.out().contains("BLAS: "), version.out());
    assertTrue(version.out().contains("Spark 4.2.0"), version.out());
  }
}
