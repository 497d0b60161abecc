package sparksgd.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import sparksgd.job.JobConfigException;
import sparksgd.job.SparkSpec;
import sparksgd.testing.SparkTest;

/** A running session is joined only when it agrees with --master and spark.conf; otherwise a clear refusal. */
@SparkTest
class SparkSessionsTest {
  static SparkSession spark;

  private static SparkSpec spec(String master, Map<String, String> conf) {
    return new SparkSpec(master, "spark-sgd", conf);
  }

  @Test
  void aLocalRunHasNoWebUiUnlessAskedAndAClusterRunKeepsIt() {
    org.apache.spark.SparkConf local = new org.apache.spark.SparkConf(false);
    SparkSessions.configure(local, spec("local[2]", Map.of()), "local[2]");
    assertEquals("false", local.get("spark.ui.enabled"));
    org.apache.spark.SparkConf asked = new org.apache.spark.SparkConf(false);
    SparkSessions.configure(asked, spec("local[2]", Map.of("spark.ui.enabled", "true")), "local[2]");
    assertEquals("true", asked.get("spark.ui.enabled"));
    org.apache.spark.SparkConf cluster = new org.apache.spark.SparkConf(false);
    SparkSessions.configure(cluster, spec("spark://host:7077", Map.of()), "spark://host:7077");
    assertEquals("unset", cluster.get("spark.ui.enabled", "unset"));
  }

  @Test
  void joinsTheRunningSessionWhenNothingExplicitDisagrees() {
    SparkSession running = spark;
    // The job file's spark.master yields to a running session, as it yields to spark-submit's.
    assertSame(running, SparkSessions.create(spec("local[*]", Map.of()), null));
    assertSame(running, SparkSessions.create(spec("local[*]", Map.of()), "local[2]"));
    assertSame(running, SparkSessions.create(spec("local[*]", Map.of("spark.scheduler.mode", "FAIR")), null));
  }

  @Test
  void refusesAnotherMasterOnTheCommandLine() {
    JobConfigException e = assertThrows(JobConfigException.class,
        () -> SparkSessions.create(spec("local[*]", Map.of()), "local[3]"));
    assertTrue(e.getMessage().startsWith("--master local[3]: this JVM already runs Spark on local[2]"), e.getMessage());
  }

  @Test
  void refusesASparkConfSettingTheRunningContextHoldsOtherwise() {
    JobConfigException e = assertThrows(JobConfigException.class,
        () -> SparkSessions.create(spec("local[*]", Map.of("spark.executor.memory", "3g")), null));
    assertEquals("spark.conf.spark.executor.memory", e.key());
    assertTrue(e.getMessage().contains("'3g' cannot be applied"), e.getMessage());
  }

  @Test
  void appliesASqlSettingTheSessionCanStillChange() {
    SparkSession s = SparkSessions.create(spec("local[*]", Map.of("spark.sql.shuffle.partitions", "3")), null);
    try {
      assertEquals("3", s.conf().get("spark.sql.shuffle.partitions"));
    } finally {
      s.conf().set("spark.sql.shuffle.partitions", "2");
    }
  }
}
