package sparksgd.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.data.TrainingData;
import sparksgd.data.TrainingDataLoader;
import sparksgd.job.JobLoader;
import sparksgd.job.JobSpec;
import sparksgd.testing.SparkTest;
import sparksgd.train.TrainingRun;

@SparkTest
class GenerateCommandTest {
  static SparkSession spark;
  static JavaSparkContext jsc;
  @TempDir
  static Path dir;

  static JobSpec job(Path data, String format, String... more) {
    List<String> sets = new java.util.ArrayList<>(List.of("data.train=\"" + data + "\"", "data.label=y",
        "data.format=" + format, "data.test-fraction=0", "data.normalize=none", "training.engine=jobs",
        "optimizer.learning-rate=0.03", "training.epochs=8", "training.batch-size=10"));
    sets.addAll(List.of(more));
    return JobLoader.load("", "generated.conf", sets);
  }

  static double[][] load(JobSpec job) {
    try (TrainingData d = TrainingDataLoader.forJob(jsc, job, sparksgd.data.CachedRows.NORMALIZED)) {
      return new double[][] {d.stats.mean(), d.stats.std(), d.stats.max()};
    }
  }

  @Test
  void sameRowsWhateverThePartitioningInEveryFormatAndTheWeightsAreRecovered() {
    Path one = dir.resolve("one");
    Path three = dir.resolve("three");
    assertEquals(0, CliRunner.run("generate", "--out", one.toString(), "--rows", "1000", "--partitions", "1").code());
    assertEquals(0, CliRunner.run("generate", "--out", three.toString(), "--rows", "1000", "--partitions", "3").code());
    double[][] a = load(job(one, "csv"));
    assertArrayEquals(a[0], load(job(three, "csv"))[0], 1e-12);
    assertArrayEquals(a[2], load(job(three, "csv"))[2]);
    for (String format : List.of("parquet", "libsvm")) {
      Path p = dir.resolve(format);
      assertEquals(0, CliRunner.run("generate", "--out", p.toString(), "--rows", "1000", "--format", format).code());
      assertArrayEquals(a[2], load(job(p, format))[2], format);
    }
    try (TrainingData d = TrainingDataLoader.forJob(jsc, job(one, "csv"), sparksgd.data.CachedRows.NORMALIZED)) {
      double[] w = TrainingRun.run(jsc, job(one, "csv"), d, List.of()).params();
      assertEquals(2.0, w[0], 0.01);
      assertEquals(-3.4, w[1], 0.01);
      assertEquals(4.2, w[2], 0.01);
    }
    assertEquals(ExitCodes.USAGE, CliRunner.run("generate", "--out", one.toString()).code(), "no silent overwrite");
  }

  /** A typo in an option must not cost the existing output folder, even with --overwrite. */
  @Test
  void overwriteDeletesNothingWhenAnOptionIsWrong() throws java.io.IOException {
    Path keep = dir.resolve("keep");
    java.nio.file.Files.createDirectories(keep);
    Path file = java.nio.file.Files.writeString(keep.resolve("precious.csv"), "a,b\n1,2\n");
    CliRunner bad = CliRunner.run("generate", "--out", keep.toString(), "--overwrite", "--format", "cvs");
    assertEquals(ExitCodes.USAGE, bad.code(), bad.err());
    assertTrue(bad.err().contains("--format must be csv, parquet, libsvm or whitespace (got cvs)"), bad.err());
    CliRunner badKind = CliRunner.run("generate", "--out", keep.toString(), "--overwrite", "--kind", "sparse-logistic",
        "--format", "parquet");
    assertEquals(ExitCodes.USAGE, badKind.code(), badKind.err());
    assertEquals("a,b\n1,2\n", java.nio.file.Files.readString(file));
  }
}
