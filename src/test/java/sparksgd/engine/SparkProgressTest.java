package sparksgd.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;
import sparksgd.testing.SparkTest;
import sparksgd.testing.TestSpark;

@SparkTest
class SparkProgressTest {
  static SparkSession spark;

  @Test
  void aLineSaysRowsMegabytesRateAndEta() {
    String l = SparkProgress.line("reading x", 1_000_000, 250_000_000, 10, 0, 1_000_000_000);
    assertEquals("reading x: 1,000,000 rows, 250.0 MB of 1000.0 MB (25%), 25.0 MB/s, ETA 0:30", l);
    String g = SparkProgress.line("generating y", 400, 0, 4, 1000, 0);
    assertEquals("generating y: 400 rows of 1,000 (40%), 100 rows/s, ETA 0:06", g);
    assertEquals("z: started, no counts from the running tasks yet", SparkProgress.line("z", 0, 0, 5, 10, 0));
  }

  @Test
  void printsWhileTheWorkRunsAndCountsEveryRow() throws InterruptedException {
    java.io.StringWriter bytes = new java.io.StringWriter();
    java.io.PrintWriter out = new java.io.PrintWriter(bytes, true);
    JavaSparkContext jsc = TestSpark.jsc(spark);
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ids.add(i);
    }
    try (SparkProgress p = new SparkProgress(jsc.sc(), "making rows", out, 300, 0, 200, true)) {
      LongAccumulator made = p.rowCounter();
      long n = jsc.parallelize(ids, 2).map(i -> {
        made.add(1);
        Thread.sleep(10); // about a second per task: several progress intervals
        return i;
      }).count();
      assertEquals(200, n);
      // Task ends reach the listener through Spark's asynchronous listener bus: wait for them (bounded).
      for (int i = 0; i < 3000 && p.soFar()[0] < 200; i++) {
        Thread.sleep(10);
      }
      assertEquals(200, p.soFar()[0], "finished tasks' rows are all counted");
    }
    String printed = bytes.toString();
    assertTrue(printed.startsWith("making rows: "), printed);
    assertTrue(printed.lines().count() >= 2, "a line per interval: " + printed);
  }
}
