package sparksgd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.cli.CliRunner;
import sparksgd.testing.SparkTest;

/** The benchmark runs end to end in quick mode and writes every section; timings are not asserted. */
@SparkTest
class BenchCommandTest {
  static SparkSession spark;
  @TempDir
  static Path dir;

  @Test
  void quickRunWritesEverySection() throws Exception {
    CliRunner r = CliRunner.run("bench", "--quick", "--only", "step,linear,sweep", "--out", dir.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode b = new ObjectMapper().readTree(dir.resolve("bench.json").toFile());
    for (String k : List.of("gang_ms_median", "jobs_ms_median", "mllib_gd_ms_per_iteration")) {
      assertTrue(b.get("step").get(k).asDouble() > 0, k);
    }
    assertTrue(b.get("linear").get("ours_ms_per_pass").asDouble() > 0);
    assertEquals(8L * 20_000 * 33, b.get("linear").get("raw_bytes").asLong());
    long raw = b.get("linear").get("raw_bytes").asLong();
    long cached = b.get("linear").get("ours_cached_bytes").asLong();
    // Exact array bytes: every double once, plus a few bytes of block bookkeeping.
    assertTrue(cached >= raw && cached < raw * 1.01, cached + " cached bytes for " + raw + " raw");
    assertEquals(8, b.get("sweep").get("trials").asInt());
    for (String k : List.of("ours_parallelism_1_s", "ours_parallelism_2_s", "mllib_cv_parallelism_1_s",
        "mllib_cv_parallelism_2_s")) {
      assertTrue(b.get("sweep").get(k).asDouble() > 0, k);
    }
  }
}
