package sparksgd.testing;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** The local[2] Spark session of the tests; a test class gets one through {@link SparkTest}. */
public final class TestSpark {
  private TestSpark() {}

  public static SparkSession start() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("spark-sgd-test")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.stage.maxConsecutiveAttempts", "100")
        .config("spark.scheduler.mode", "FAIR")
        .getOrCreate();
  }

  public static JavaSparkContext jsc(SparkSession spark) {
    return JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  public static void stop(SparkSession spark) {
    if (spark != null) {
      spark.stop();
    }
  }
}
