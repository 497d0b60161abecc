package sparksgd.engine;

import java.util.Locale;
import org.apache.spark.SparkContext;
import sparksgd.engine.gang.GangEngine;

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

  private TaskSlots() {}

  /**
   * Throws {@link IllegalArgumentException} (worded for {@code training.partitions}) when the gang's
   * {@code partitions} tasks cannot all run at once.
   */
  public static void require(SparkContext sc, int partitions) {
    int configured = GangEngine.taskSlots(sc);
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
