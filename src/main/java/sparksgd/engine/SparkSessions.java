package sparksgd.engine;

import java.util.Map;
import java.util.function.Function;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import sparksgd.job.JobConfigException;
import sparksgd.job.SparkSpec;

/**
 * Builds the Spark session a job runs in, or joins the one already running in this JVM (spark-submit's
 * application, a Spark ML user's session, a test's shared context).
 */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * {@code masterOverride} (the launcher's --master) wins over the job's {@code spark.master}; under
   * spark-submit, a master already set in the Spark configuration wins over the job file.
   *
   * <p>One JVM holds one SparkContext. When a session is already running, it is joined only when it
   * agrees with what was asked explicitly: a different {@code --master}, or a {@code spark.conf} setting
   * the running context holds with another value, is refused with a message naming it (Spark's own
   * {@code getOrCreate} would return the running session and drop the settings with a log line). The job
   * file's {@code spark.master} yields to a running session as it yields to spark-submit's.
   */
  public static SparkSession create(SparkSpec spec, String masterOverride) {
    return startOrJoin(spec, masterOverride, running -> running,
        conf -> SparkSession.builder().config(conf).getOrCreate(), SparkSession::sparkContext);
  }

  /**
   * The Spark context alone, for commands that read text and train on RDDs: building a {@link SparkSession}
   * loads Spark SQL, which costs about 2 s of a small job's start (measured: 5.4 s against 3.2 s to a
   * usable context, local[*], 2 cores). A session is built on this context when one is needed (Parquet
   * input). Same master rules and the same joining of a running session as {@link #create}.
   */
  public static JavaSparkContext context(SparkSpec spec, String masterOverride) {
    return JavaSparkContext.fromSparkContext(startOrJoin(spec, masterOverride, SparkSession::sparkContext,
        SparkContext::getOrCreate, sc -> sc));
  }

  /**
   * The master rules of {@link #create} and {@link #context}: joins a running session ({@code joined} takes
   * what the caller wants from it) or starts Spark ({@code start}), and refuses a context that runs on another
   * master than {@code --master}, or one whose master never answered.
   */
  private static <T> T startOrJoin(SparkSpec spec, String masterOverride, Function<SparkSession, T> joined,
      Function<SparkConf, T> start, Function<T, SparkContext> contextOf) {
    SparkConf conf = new SparkConf();
    String master = master(conf, spec, masterOverride);
    String source = source(conf, masterOverride);
    SparkMaster.check(master, source);
    SparkSession running = running();
    if (running != null) {
      return joined.apply(join(running, spec, masterOverride));
    }
    configure(conf, spec, master);
    T started;
    try {
      started = start.apply(conf);
    } catch (RuntimeException e) {
      throw masterRefused(e, master, source);
    }
    SparkContext sc = contextOf.apply(started);
    if (masterOverride != null && !masterOverride.trim().equals(sc.master())) {
      throw new JobConfigException(null, "--master " + masterOverride + ": this JVM already runs Spark on "
          + sc.master() + " (one SparkContext per JVM); stop it first, or leave out --master");
    }
    if (sc.isStopped()) {
      throw SparkMaster.notRegistered(master, source); // the standalone master never answered
    }
    return started;
  }

  /** {@code --master} wins, then a master spark-submit already set, then the job's {@code spark.master}. */
  private static String master(SparkConf conf, SparkSpec spec, String masterOverride) {
    return masterOverride != null ? masterOverride : conf.get("spark.master", spec.master());
  }

  /** Where the master came from, for messages. */
  private static String source(SparkConf conf, String masterOverride) {
    return masterOverride != null ? "--master" : conf.contains("spark.master") ? "spark-submit's --master"
        : "spark.master";
  }

  private static RuntimeException masterRefused(RuntimeException e, String master, String source) {
    if (String.valueOf(e.getMessage()).contains("Master URL")) {
      return new JobConfigException(null, source + ": Spark cannot use the master '" + master + "': "
          + e.getMessage());
    }
    return e;
  }

  static void configure(SparkConf conf, SparkSpec spec, String master) {
    conf.setMaster(master);
    conf.setIfMissing("spark.app.name", spec.appName());
    conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    if (master.startsWith("local")) {
      // No web UI for a run in this JVM unless asked for (spark.conf "spark.ui.enabled" = true): starting
      // and stopping its Jetty server was 0.3 s of a 6 s Boston job, and a second local run printed port-retry
      // warnings. On a cluster the UI stays, where people watch long jobs.
      conf.setIfMissing("spark.ui.enabled", "false");
    }
    // The gang engine's long-lived stage counts every task failure of the whole run against this.
    conf.setIfMissing("spark.stage.maxConsecutiveAttempts", "100");
    // Concurrent trainings (CV folds, sweep trials) each use their own pool and share the slots fairly.
    conf.setIfMissing("spark.scheduler.mode", "FAIR");
    for (Map.Entry<String, String> e : spec.conf().entrySet()) {
      conf.set(e.getKey(), e.getValue());
    }
  }

  /** The live session of this thread, else of this JVM; null when there is none. */
  static SparkSession running() {
    for (scala.Option<SparkSession> o : java.util.List.of(SparkSession.getActiveSession(), SparkSession.getDefaultSession())) {
      if (o.isDefined() && !o.get().sparkContext().isStopped()) {
        return o.get();
      }
    }
    return null;
  }

  private static SparkSession join(SparkSession running, SparkSpec spec, String masterOverride) {
    SparkContext sc = running.sparkContext();
    if (masterOverride != null && !masterOverride.trim().equals(sc.master())) {
      throw new JobConfigException(null, "--master " + masterOverride + ": this JVM already runs Spark on "
          + sc.master() + " (one SparkContext per JVM); stop that session first, or leave out --master");
    }
    for (Map.Entry<String, String> e : spec.conf().entrySet()) {
      String key = e.getKey();
      if (e.getValue().equals(sc.getConf().get(key, null))) {
        continue;
      }
      if (running.conf().isModifiable(key)) {
        running.conf().set(key, e.getValue()); // a SQL setting the session can still change
        continue;
      }
      throw new JobConfigException("spark.conf." + key, "'" + e.getValue() + "' cannot be applied: this JVM "
          + "already runs Spark (" + sc.master() + ") with " + key + " = "
          + sc.getConf().get(key, "(unset)") + "; stop that session first, or leave the setting out");
    }
    return running;
  }
}
