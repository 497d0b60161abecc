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
    for (String k : List.of("host_probe_sgemv_us_before", "host_probe_dgemv_us_before", "host_probe_sgemv_us_after",
        "host_probe_dgemv_us_after")) {
      assertTrue(b.get("linear").get(k).asDouble() > 0, k);
    }
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

  @Test
  void quickSparsePartWritesItsKeys() throws Exception {
    Path out = dir.resolve("sparse");
    CliRunner r = CliRunner.run("bench", "--quick", "--only", "sparse", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode s = new ObjectMapper().readTree(out.resolve("bench.json").toFile()).get("sparse");
    assertEquals(20_000, s.get("rows").asLong());
    assertEquals(1 << 20, s.get("features").asInt());
    assertEquals(20_000L * 40 * 12, s.get("csr_bytes").asLong());
    // CSR blocks: every index and value once, plus row starts and labels (12 of the 492 bytes a row).
    double over = s.get("ours_cached_over_csr").asDouble();
    assertTrue(over > 1.0 && over < 1.03, "ours / CSR bytes " + over);
    for (String k : List.of("ours_full_pass_ms", "mllib_full_iteration_ms", "ours_step_ms_median", "mllib_step_ms",
        "ours_epoch_s", "mllib_cached_bytes", "local_full_pass_ms", "local_step_ms_median", "local_epoch_s",
        "mllib_over_local_step")) {
      assertTrue(s.get(k).asDouble() > 0, k);
    }
    assertEquals(5, s.get("steps_per_epoch").asInt()); // 20,000 rows in steps of 4,096
    // A step of 4,096 rows x 40 nonzeros touches at most 163,841 of 1,048,577 parameters: the exchange is sparse,
    // 12 bytes an entry (4-byte index, 8-byte value) each way, far below the 8 MB dense vector.
    double touched = s.get("touched_params_per_step").asDouble();
    assertTrue(touched > 100_000 && touched <= 4096 * 40 + 1, "touched " + touched);
    long dense = s.get("dense_param_bytes").asLong();
    assertEquals(8L * ((1 << 20) + 1) + 16, dense + 16); // the vector of 2^20 weights and a bias
    for (String k : List.of("task_bytes_in_per_step", "driver_bytes_in_per_step", "task_bytes_out_per_step_max")) {
      double b = s.get(k).asDouble();
      assertTrue(b > 0 && b < dense / 3.0, k + " " + b);
    }
    assertTrue(s.get("task_bytes_in_per_step").asDouble() >= 12 * touched, "every touched entry goes to the tasks");
  }
}
