package sparksgd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mistakes that need no Spark are refused before a SparkContext exists (so in about a second). */
class PreflightTest {
  @TempDir
  Path dir;

  private void refusedWithoutSpark(int code, String part, String... args) {
    assertTrue(SparkSession.getDefaultSession().isEmpty(), "no Spark before the test");
    CliRunner r = CliRunner.run(args);
    assertEquals(code, r.code(), r.err());
    assertTrue(r.err().startsWith("error: ") && r.err().contains(part), r.err());
    assertTrue(SparkSession.getDefaultSession().isEmpty(), "refused before Spark started: " + String.join(" ", args));
  }

  @Test
  void refusalsComeBeforeSparkStarts() throws Exception {
    Path used = dir.resolve("used");
    Files.createDirectories(used);
    Files.writeString(used.resolve("history.csv"), "epoch\n");
    refusedWithoutSpark(ExitCodes.USAGE, "not empty", "train", "jobs/boston-linear.conf", "--out", used.toString());
    refusedWithoutSpark(ExitCodes.USAGE, "not empty", "cv", "jobs/boston-linear.conf", "--out", used.toString());
    Path fresh = dir.resolve("fresh");
    refusedWithoutSpark(ExitCodes.DATA, "no such file or directory", "train", "jobs/boston-linear.conf", "--out",
        fresh.toString(), "--set", "data.train=\"" + dir.resolve("missing.csv") + "\"");
    refusedWithoutSpark(ExitCodes.DATA, "no such built-in data set", "train", "jobs/boston-linear.conf", "--out",
        fresh.toString(), "--set", "data.train=\"builtin:nope.csv\"");
    refusedWithoutSpark(ExitCodes.DATA, "no such file or directory", "train", "jobs/boston-linear.conf", "--out",
        fresh.toString(), "--set", "data.test=\"" + dir.resolve("missing-test.csv") + "\"");
    refusedWithoutSpark(ExitCodes.USAGE, "nothing to resume", "train", "jobs/boston-linear.conf", "--out",
        fresh.toString(), "--resume");
    assertFalse(Files.exists(fresh), "nothing written");

    Path input = dir.resolve("in.csv");
    Files.writeString(input, "CRIM\n1\n");
    refusedWithoutSpark(ExitCodes.DATA, "cannot load model", "predict", "--model", dir.resolve("no-model").toString(),
        "--input", input.toString(), "--output", dir.resolve("p.csv").toString());
    refusedWithoutSpark(ExitCodes.USAGE, "exists; pass --overwrite", "predict", "--model", used.toString(),
        "--input", input.toString(), "--output", input.toString());
    refusedWithoutSpark(ExitCodes.DATA, "no such file or directory", "evaluate", "--model", used.toString(),
        "--input", dir.resolve("nope.csv").toString());
  }

  @Test
  void aModelTooWideForTheDriverIsRefusedBeforeSparkWithItsSize() throws Exception {
    Path data = dir.resolve("wide.libsvm");
    Files.writeString(data, "1 3:1 70000:1\n");
    // 2^27 features x 64 hidden units: 8.6 G parameters, far beyond any test heap
    refusedWithoutSpark(ExitCodes.USAGE, "data.num-features = 134,217,728: the model needs about", "train",
        "jobs/boston-mlp.conf", "--out", dir.resolve("wide").toString(), "--set", "data.train=\"" + data + "\"",
        "--set", "data.format=libsvm", "--set", "data.num-features=134217728", "--set", "model.loss=bce",
        "--set", "data.label=label");
    sparksgd.job.JobSpec small = sparksgd.job.JobLoader.load("", "x.conf", java.util.List.of("data.train=\"x.libsvm\"", "data.label=label", "model.loss=bce", "model.type=mlp", "data.num-features=100",
        "data.format=libsvm", "model.hidden=[10]", "optimizer.type=adam",
        "training.partitions=2"));
    sparksgd.train.DriverFootprint f = sparksgd.train.DriverFootprint.of(small, 100, 2);
    assertEquals(100 * 10 + 10 + 10 * 1 + 1, f.parameters()); // W1, b1, W2, b2
    assertEquals(3 + 2 + 2, f.copies()); // params, gradient, snapshot; Adam's two slots; two partition results
    assertFalse(f.exceeds(Runtime.getRuntime().maxMemory()));
  }

  @Test
  void onlyLocalPathsAreCheckedBeforeSpark() {
    assertTrue(Preflight.isLocal("runs/x"));
    assertTrue(Preflight.isLocal("/tmp/a b/c*.csv"));
    assertTrue(Preflight.isLocal("file:///tmp/x"));
    assertFalse(Preflight.isLocal("hdfs://namenode:8020/runs/x"));
    assertFalse(Preflight.isLocal("s3a://bucket/x"));
    // A Hadoop URI is left to the checks after Spark starts (they may need its settings).
    Preflight.outputFolder("hdfs://127.0.0.1:1/never-contacted", false);
    Preflight.input("hdfs://127.0.0.1:1/never-contacted.csv");
  }
}
