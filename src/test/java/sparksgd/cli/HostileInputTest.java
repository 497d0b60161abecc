package sparksgd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.testing.SparkTest;

/**
 * Careless and hostile inputs, one test per class of failure: crafted models, unbounded reads,
 * unknown hosts and masters, long quoted values, missing includes; and compressed inputs that work.
 */
@SparkTest
class HostileInputTest {
  static SparkSession spark;
  @TempDir
  static Path dir;
  static Path run;
  static String boston;

  @BeforeAll
  static void start() throws IOException {
    try (InputStream in = HostileInputTest.class.getClassLoader().getResourceAsStream("datasets/boston_housing.csv")) {
      boston = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    run = dir.resolve("run");
    CliRunner r = CliRunner.run("train", "jobs/boston-linear.conf", "--out", run.toString(), "--set",
        "training.epochs=1", "--set", "training.partitions=1");
    assertEquals(0, r.code(), r.err());
  }

  /** Exit code, exactly one error line containing {@code part}, and no stack trace. */
  static CliRunner assertOneLine(int code, String part, String... args) {
    CliRunner r = CliRunner.run(args);
    assertEquals(code, r.code(), r.err());
    assertEquals(1, r.err().lines().filter(l -> l.startsWith("error:")).count(), r.err());
    assertTrue(r.err().contains(part), "expected '" + part + "' in: " + r.err());
    assertFalse(r.err().contains("\tat ") || r.err().contains("Exception:"), "no trace, no class name: " + r.err());
    return r;
  }

  static Path copyOfModel(String name) throws IOException {
    Path copy = dir.resolve(name);
    FileUtils.copyDirectory(run.resolve("model").toFile(), copy.toFile());
    return copy;
  }

  @Test
  void nonFiniteWeightsOrStatisticsInAModelAreALoadError() throws IOException {
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
      Path model = copyOfModel("nan-model-" + bad);
      byte[] w = Files.readAllBytes(model.resolve("W1.npy"));
      ByteBuffer.wrap(w, w.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN).putDouble(bad);
      Files.write(model.resolve("W1.npy"), w);
      assertOneLine(ExitCodes.DATA, "W1.npy", "predict", "--model", model.toString(), "--input",
          "builtin:boston_housing.csv", "--output", dir.resolve("never.csv").toString());
    }
    Path model = copyOfModel("nan-stats");
    String json = Files.readString(model.resolve("model.json"));
    Files.writeString(model.resolve("model.json"), json.replaceFirst("\"std\" : [0-9.eE+-]+", "\"std\" : \"NaN\""));
    assertOneLine(ExitCodes.DATA, "std", "predict", "--model", model.toString(), "--input",
        "builtin:boston_housing.csv", "--output", dir.resolve("never.csv").toString());
    assertFalse(Files.exists(dir.resolve("never.csv")));
  }

  @Test
  void aBadRowFoundInASparkTaskLogsNoStackTraceUnlessVerbose() throws IOException {
    java.util.List<String> lines = boston.lines().toList();
    Path nan = dir.resolve("nan-row.csv");
    Files.writeString(nan, String.join("\n", lines.subList(0, 20)) + "\n" + lines.get(20).replaceFirst("^[^,]+", "NaN")
        + "\n");
    Path nanLabel = dir.resolve("nan-label.csv");
    Files.writeString(nanLabel, String.join("\n", lines.subList(0, 20)) + "\n"
        + lines.get(20).replaceFirst("[^,]+$", "NaN") + "\n");
    HostileInputFuzzTest.TraceCapture traces = new HostileInputFuzzTest.TraceCapture();
    org.apache.logging.log4j.core.LoggerContext ctx =
        (org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false);
    traces.start();
    ctx.getConfiguration().getRootLogger().addAppender(traces, null, null);
    ctx.updateLoggers();
    try {
      assertOneLine(ExitCodes.DATA, "nan-row.csv:21, column 'CRIM'", "predict", "--model", run.toString(), "--input",
          nan.toString(), "--output", dir.resolve("nan-pred.csv").toString());
      assertOneLine(ExitCodes.DATA, "nan-label.csv:21, column 'MEDV'", "evaluate", "--model", run.toString(),
          "--input", nanLabel.toString());
      assertTrue(traces.seen.isEmpty(), "Spark logged a task failure's trace: " + traces.seen);
      CliRunner verbose = CliRunner.run("evaluate", "--verbose", "--model", run.toString(), "--input", nan.toString());
      assertEquals(ExitCodes.DATA, verbose.code());
      assertTrue(verbose.err().contains("\tat ") && !traces.seen.isEmpty(), "--verbose shows the traces");
    } finally {
      ctx.getConfiguration().getRootLogger().removeAppender(traces.getName());
      ctx.updateLoggers();
    }
  }

  @Test
  void aModelWithoutItsNormalizationSectionIsRefusedInWords() throws IOException {
    Path model = copyOfModel("no-normalization");
    ObjectMapper m = new ObjectMapper();
    ObjectNode root = (ObjectNode) m.readTree(model.resolve("model.json").toFile());
    root.remove("normalization");
    m.writeValue(model.resolve("model.json").toFile(), root);
    assertOneLine(ExitCodes.DATA, "normalization", "evaluate", "--model", model.toString(), "--input",
        "builtin:boston_housing.csv");
  }

  @Test
  void readsAUserControlsAreBounded() throws IOException {
    Path bigJob = dir.resolve("big.conf");
    Files.writeString(bigJob, "# " + "x".repeat(JobOptions.MAX_JOB_BYTES) + "\n");
    assertOneLine(ExitCodes.USAGE, "larger than", "train", bigJob.toString());
    if (Files.exists(Path.of("/dev/zero"))) {
      assertOneLine(ExitCodes.USAGE, "larger than", "train", "/dev/zero");
      assertOneLine(ExitCodes.DATA, "first line is longer", "train", "jobs/boston-linear.conf", "--out",
          dir.resolve("never").toString(), "--set", "data.train=/dev/zero");
    }
    Path noNewline = dir.resolve("one-line.csv");
    Files.writeString(noNewline, "a".repeat(sparksgd.data.Source.MAX_FIRST_LINE + 10));
    CliRunner r = assertOneLine(ExitCodes.DATA, "first line is longer", "train", "jobs/boston-linear.conf", "--out",
        dir.resolve("never").toString(), "--set", "data.train=\"" + noNewline + "\"");
    assertTrue(r.err().length() < 2000, "a short error line");
    assertFalse(Files.exists(dir.resolve("never")));
  }

  @Test
  void errorLinesQuoteLongValuesShortened() throws IOException {
    String name = "n".repeat(200_000);
    Path csv = dir.resolve("long-name.csv");
    Files.writeString(csv, name + "," + name + ",y\n1,2,3\n");
    CliRunner r = assertOneLine(ExitCodes.DATA, "duplicate column name", "train", "jobs/boston-linear.conf", "--out",
        dir.resolve("never").toString(), "--set", "data.train=\"" + csv + "\"", "--set", "data.label=y");
    assertTrue(r.err().length() < 1200, "shortened: " + r.err().length() + " characters");
    CliRunner set = assertOneLine(ExitCodes.DATA, "no label column named", "train", "jobs/boston-linear.conf", "--out",
        dir.resolve("never").toString(), "--set", "data.label=" + name);
    assertTrue(set.err().length() < 1200, "shortened: " + set.err().length() + " characters");
  }

  @Test
  void unknownHostsAndMastersAreNamedInOneLine() {
    assertOneLine(ExitCodes.DATA, "unknown host", "train", "jobs/boston-linear.conf", "--out",
        dir.resolve("never").toString(), "--set", "data.train=\"hdfs://no-such-host.invalid:8020/x.csv\"");
    assertOneLine(ExitCodes.USAGE, "unknown host", "train", "jobs/boston-linear.conf", "--out",
        "hdfs://no-such-host.invalid:8020/runs/x");
    assertOneLine(ExitCodes.USAGE, "no-master-url", "train", "jobs/boston-linear.conf", "--master", "no-master-url");
    assertOneLine(ExitCodes.USAGE, "cannot reach the Spark master spark://127.0.0.1:1", "train",
        "jobs/boston-linear.conf", "--master", "spark://127.0.0.1:1");
    assertOneLine(ExitCodes.USAGE, "unknown host", "predict", "--master", "spark://no-such-host.invalid:7077",
        "--model", run.toString(), "--input", "builtin:boston_housing.csv", "--output", "x.csv");
  }

  @Test
  void aMissingIncludeIsWarnedAbout() throws IOException {
    Path job = dir.resolve("with-include.conf");
    Files.writeString(job, "include \"settings-that-are-not-there.conf\"\n"
        + "data { train = \"builtin:boston_housing.csv\", label = MEDV }\ntraining.epochs = 0\n");
    CliRunner r = CliRunner.run("train", job.toString(), "--out", dir.resolve("never").toString());
    assertEquals(ExitCodes.USAGE, r.code(), r.err());
    assertTrue(r.err().lines().anyMatch(l -> l.startsWith("warning:") && l.contains("settings-that-are-not-there.conf")),
        r.err());
  }

  @Test
  void compressedCsvIsReadThroughHadoopsCodecs() throws IOException {
    Path gz = dir.resolve("boston.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(boston.getBytes(StandardCharsets.UTF_8));
    }
    Path bz2 = dir.resolve("boston.csv.bz2");
    try (OutputStream out = org.apache.hadoop.util.ReflectionUtils.newInstance(
        org.apache.hadoop.io.compress.BZip2Codec.class, new org.apache.hadoop.conf.Configuration())
        .createOutputStream(Files.newOutputStream(bz2))) {
      out.write(boston.getBytes(StandardCharsets.UTF_8));
    }
    for (Path p : new Path[] {gz, bz2}) {
      Path out = dir.resolve("run-" + p.getFileName());
      CliRunner r = CliRunner.run("train", "jobs/boston-linear.conf", "--out", out.toString(), "--set",
          "training.epochs=1", "--set", "training.partitions=1", "--set", "data.train=\"" + p + "\"");
      assertEquals(0, r.code(), r.err());
      // The same rows as the plain file: the same statistics.
      assertEquals(Files.readString(run.resolve("stats.json")), Files.readString(out.resolve("stats.json")));
    }
  }
}
