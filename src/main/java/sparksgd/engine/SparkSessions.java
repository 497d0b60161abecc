package sparksgd.engine;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import sparksgd.job.SparkSpec;

/** Builds the Spark session a job runs in, or joins the one spark-submit already configured. */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * {@code masterOverride} (the launcher's --master) wins over the job's {@code spark.master}; under
   * spark-submit, a master already set in the Spark configuration wins over the job file.
   */
  public static SparkSession create(SparkSpec spec, String masterOverride) {
    SparkConf conf = new SparkConf();
    String master = masterOverride != null ? masterOverride : conf.get("spark.master", spec.master());
    conf.setMaster(master);
    conf.setIfMissing("spark.app.name", spec.appName());
    conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    // The gang engine's long-lived stage counts every task failure of the whole run against this.
    conf.setIfMissing("spark.stage.maxConsecutiveAttempts", "100");
    // Concurrent trainings (CV folds, sweep trials) each use their own pool and share the slots fairly.
    conf.setIfMissing("spark.scheduler.mode", "FAIR");
    for (Map.Entry<String, String> e : spec.conf().entrySet()) {
      conf.set(e.getKey(), e.getValue());
    }
    return SparkSession.builder().config(conf).getOrCreate();
  }
}
