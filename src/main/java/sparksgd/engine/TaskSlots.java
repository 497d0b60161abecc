package sparksgd.engine;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;

/**
 * The gang engine runs all {@code training.partitions} tasks at once in one barrier stage. Asking for
 * more than the application can get would otherwise fail only after Spark's barrier slot check has
 * retried for minutes (40 x 15 s by default), so the slots are counted before the stage is launched.
 *
 * <p>In local mode the count is known from the master URL. On a cluster the slots are those of the
 * executors that registered: the check waits for executors while more are still arriving, and gives
 * up once none has been added for {@link #SETTLE_MS} or after
 * {@code spark.scheduler.maxRegisteredResourcesWaitingTime} (30 s by default) in all.
 */
public final class TaskSlots {
  /** Executors of one allocation register within a few seconds of each other. */
  static final long SETTLE_MS = 5_000;
  private static final long POLL_MS = 200;
  private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:\\s*,\\s*\\d+)?\\])?");
  private static final Pattern LOCAL_CLUSTER =
      Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*\\d+\\s*\\]");

  private TaskSlots() {}

  /**
   * Throws {@link IllegalArgumentException} (worded for {@code training.partitions}) when the gang's
   * {@code partitions} tasks cannot all run at once.
   */
  public static void require(SparkContext sc, int partitions) {
    int configured = configured(sc);
    if (configured > 0 && partitions > configured) {
      throw tooMany(sc, partitions, configured, "the application holds");
    }
    if (sc.isLocal() || partitions <= 1) {
      return;
    }
    long waitMs = sc.getConf().getTimeAsMs("spark.scheduler.maxRegisteredResourcesWaitingTime", "30s");
    long start = System.currentTimeMillis();
    long lastChange = start;
    int seen = registered(sc);
    while (seen < partitions) {
      long now = System.currentTimeMillis();
      boolean settled = seen > 0 && now - lastChange >= SETTLE_MS;
      if (settled || now - start >= waitMs) {
        throw tooMany(sc, partitions, seen, String.format(Locale.ROOT,
            "the application got within %.0f s", (now - start) / 1000.0));
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return; // a stop request: the engine's own start will notice
      }
      int now2 = registered(sc);
      if (now2 != seen) {
        seen = now2;
        lastChange = System.currentTimeMillis();
      }
    }
  }

  /** Task slots the application holds when that is known from its configuration; 0 when unknown. */
  static int configured(SparkContext sc) {
    SparkConf conf = sc.getConf();
    int taskCpus = Math.max(1, conf.getInt("spark.task.cpus", 1));
    String master = sc.master().trim();
    Matcher m = LOCAL.matcher(master);
    if (m.matches()) {
      String n = m.group(1);
      int cores = n == null ? 1 : "*".equals(n) ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(n);
      return cores / taskCpus;
    }
    Matcher lc = LOCAL_CLUSTER.matcher(master);
    if (lc.matches()) {
      return Integer.parseInt(lc.group(1)) * (Integer.parseInt(lc.group(2)) / taskCpus);
    }
    if (conf.contains("spark.cores.max")) {
      return conf.getInt("spark.cores.max", 0) / taskCpus;
    }
    if (conf.contains("spark.executor.instances") && conf.contains("spark.executor.cores")) {
      return conf.getInt("spark.executor.instances", 0) * (conf.getInt("spark.executor.cores", 1) / taskCpus);
    }
    return 0;
  }

  /** Task slots of the executors registered now (what Spark's own barrier check counts). */
  static int registered(SparkContext sc) {
    return sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile());
  }

  private static IllegalArgumentException tooMany(SparkContext sc, int partitions, int slots, String how) {
    return new IllegalArgumentException("training.partitions = " + partitions + " exceeds the " + slots
        + " task slots " + how + " (" + sc.master() + ", spark.task.cpus=" + sc.getConf().getInt("spark.task.cpus", 1)
        + "); training.engine = gang runs all partitions' tasks at once. Set training.partitions to at most "
        + Math.max(1, slots) + ", add executors or cores, or use training.engine = jobs");
  }
}
