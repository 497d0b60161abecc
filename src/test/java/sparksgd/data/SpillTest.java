package sparksgd.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.RDDInfo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.cli.CliRunner;
import sparksgd.job.JobLoader;
import sparksgd.job.JobSpec;
import sparksgd.testing.TestSpark;
import sparksgd.train.TrainingRun;

/**
 * Cached blocks larger than the storage memory spill to disk (MEMORY_AND_DISK) and training gives the
 * same weights as with ample memory. Needs two Spark contexts with different memory, one after the other.
 */
@Tag("slow") // starts its own two Spark contexts, so no @SparkTest
class SpillTest {
  @TempDir
  static Path dir;

  static double[] train(SparkSession spark, Path data, boolean expectSpill) {
    JavaSparkContext jsc = TestSpark.jsc(spark);
    JobSpec job = JobLoader.load("", "spill.conf", List.of("data.train=\"" + data + "\"", "data.label=y",
        "data.test-fraction=0", "training.engine=jobs", "training.epochs=1", "training.batch-size=20000",
        "data.block-rows=8192"));
    try (TrainingData d = TrainingDataLoader.forJob(jsc, job, sparksgd.data.CachedRows.NORMALIZED)) {
      long disk = 0;
      for (RDDInfo info : jsc.sc().getRDDStorageInfo()) {
        disk += info.diskSize();
      }
      if (expectSpill) {
        assertTrue(disk > 0, "blocks spilled to disk");
      }
      return TrainingRun.run(jsc, job, d, List.of()).params();
    }
  }

  @Test
  void spilledBlocksTrainToTheSameWeights() {
    Path data = dir.resolve("gen");
    SparkSession small = SparkSession.builder().master("local[2]").appName("spill-small")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.testing.reservedMemory", "0").config("spark.testing.memory", String.valueOf(48L << 20))
        .config("spark.memory.fraction", "0.2").getOrCreate();
    double[] spilled;
    try {
      // 150,000 rows x 9 doubles = 10.8 MB of blocks against about 10 MB of unified memory.
      CliRunner r = CliRunner.run("generate", "--out", data.toString(), "--rows", "150000", "--features", "8",
          "--partitions", "2");
      assertTrue(r.code() == 0, r.err());
      spilled = train(small, data, true);
    } finally {
      small.stop();
    }
    SparkSession ample = TestSpark.start();
    try {
      assertArrayEquals(spilled, train(ample, data, false));
    } finally {
      ample.stop();
    }
  }
}
