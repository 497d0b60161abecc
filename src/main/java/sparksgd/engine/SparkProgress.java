package sparksgd.engine;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A progress line every few seconds while Spark does long work on the user's behalf (reading,
 * validating and caching the input; generating rows): rows, MB, rate and ETA. Counts come from
 * finished tasks' metrics plus running tasks' heartbeats (input records and bytes read, or a
 * {@link #rowCounter} the tasks add to), so they move while a large task is still running. Silent
 * when the work ends before the first interval.
 */
public final class SparkProgress implements AutoCloseable {
  static final String RECORDS_READ = "internal.metrics.input.recordsRead";
  static final String BYTES_READ = "internal.metrics.input.bytesRead";

  private final SparkContext sc;
  private final String what;
  private final PrintWriter out;
  private final long totalBytes;
  private final long totalRows;
  private final LongAccumulator rows;
  private final long started = System.nanoTime();
  /** The current Spark job: reading passes start again from zero (validation, then caching). */
  private volatile long passStarted = System.nanoTime();
  private final AtomicLong passes = new AtomicLong();
  private final AtomicLong doneRows = new AtomicLong();
  private final AtomicLong doneBytes = new AtomicLong();
  /** Per running task: {rows, bytes} from its last heartbeat. */
  private final Map<Long, long[]> running = new ConcurrentHashMap<>();
  private final Listener listener = new Listener();
  private final ScheduledExecutorService timer;

  /**
   * {@code totalBytes} / {@code totalRows}: what the work will read or produce when known (0 = unknown),
   * for the percentage and ETA.
   */
  SparkProgress(SparkContext sc, String what, PrintWriter out, long everyMillis, long totalBytes,
      long totalRows, boolean countRows) {
    this.sc = sc;
    this.what = what;
    this.out = out;
    this.totalBytes = totalBytes;
    this.totalRows = totalRows;
    this.rows = countRows ? sc.longAccumulator("spark-sgd rows") : null;
    sc.addSparkListener(listener);
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "spark-sgd-progress");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::print, everyMillis, everyMillis, TimeUnit.MILLISECONDS);
  }

  /** Progress of work that reads input files ({@code totalBytes} of them, 0 if unknown). */
  public static SparkProgress reading(SparkContext sc, String what, PrintWriter out, long totalBytes) {
    return new SparkProgress(sc, what, out, 5000, totalBytes, 0, false);
  }

  /** Progress of work whose tasks count the rows they make with {@link #rowCounter}. */
  public static SparkProgress producing(SparkContext sc, String what, PrintWriter out, long totalRows) {
    return new SparkProgress(sc, what, out, 5000, 0, totalRows, true);
  }

  /** For {@link #producing}: tasks {@code add(1)} per row. */
  public LongAccumulator rowCounter() {
    return rows;
  }

  /** Rows and bytes so far: finished tasks plus running tasks' last heartbeats. */
  long[] soFar() {
    long r = doneRows.get();
    long b = doneBytes.get();
    for (long[] t : running.values()) {
      r += t[0];
      b += t[1];
    }
    return new long[] {r, b};
  }

  void print() {
    long[] now = soFar();
    long t = System.nanoTime();
    String name = rows == null && passes.get() > 1 ? what + ", pass " + passes.get() : what;
    out.println(line(name, now[0], now[1], (t - passStarted) / 1e9, totalRows, totalBytes)
        + String.format(Locale.ROOT, " (%.0fs so far)", (t - started) / 1e9));
    out.flush();
  }

  /** e.g. "reading data: 1,234,567 rows, 312.0 MB of 1,300.0 MB (24%), 25.1 MB/s, ETA 0:41". */
  static String line(String what, long rows, long bytes, double secs, long totalRows, long totalBytes) {
    StringBuilder sb = new StringBuilder(what).append(": ");
    if (rows == 0 && bytes == 0) {
      // Running tasks report their counts with Spark's executor heartbeat (every 10 s by default).
      return sb.append("started, no counts from the running tasks yet").toString();
    }
    sb.append(String.format(Locale.ROOT, "%,d rows", rows));
    if (totalRows > 0) {
      sb.append(String.format(Locale.ROOT, " of %,d (%.0f%%)", totalRows, 100.0 * rows / totalRows));
    }
    if (bytes > 0) {
      sb.append(String.format(Locale.ROOT, ", %.1f MB", bytes / 1e6));
      if (totalBytes > 0) {
        sb.append(String.format(Locale.ROOT, " of %.1f MB (%.0f%%)", totalBytes / 1e6, 100.0 * bytes / totalBytes));
      }
      sb.append(String.format(Locale.ROOT, ", %.1f MB/s", bytes / 1e6 / Math.max(secs, 1e-9)));
    } else {
      sb.append(String.format(Locale.ROOT, ", %,.0f rows/s", rows / Math.max(secs, 1e-9)));
    }
    double fraction = totalRows > 0 ? (double) rows / totalRows : totalBytes > 0 ? (double) bytes / totalBytes : 0;
    if (fraction > 0 && fraction < 1) {
      sb.append(", ETA ").append(clock(secs * (1 - fraction) / fraction));
    }
    return sb.toString();
  }

  static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    sc.removeSparkListener(listener);
  }

  private final class Listener extends SparkListener {
    @Override
    public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
      if (rows == null) {
        passes.incrementAndGet();
        passStarted = System.nanoTime();
        doneRows.set(0);
        doneBytes.set(0);
        running.clear();
      }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      running.remove(end.taskInfo().taskId());
      TaskMetrics m = end.taskMetrics();
      if (m != null && end.reason() instanceof org.apache.spark.Success$) {
        doneRows.addAndGet(rows != null ? counted(end.taskInfo().accumulables()) : m.inputMetrics().recordsRead());
        doneBytes.addAndGet(m.inputMetrics().bytesRead());
      }
    }

    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
      for (Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> t
          : CollectionConverters.asJava(update.accumUpdates())) {
        long r = 0;
        long b = 0;
        for (AccumulableInfo a : CollectionConverters.asJava(t._4())) {
          if (rows != null && a.id() == rows.id()) {
            r = value(a);
          } else if (rows == null && a.name().contains(RECORDS_READ)) {
            r = value(a);
          } else if (a.name().contains(BYTES_READ)) {
            b = value(a);
          }
        }
        running.put((Long) t._1(), new long[] {r, b});
      }
    }

    private long counted(scala.collection.Seq<AccumulableInfo> infos) {
      for (AccumulableInfo a : CollectionConverters.asJava(infos)) {
        if (a.id() == rows.id() && a.update().isDefined()) {
          return ((Number) a.update().get()).longValue();
        }
      }
      return 0;
    }

    private static long value(AccumulableInfo a) {
      Object v = a.update().isDefined() ? a.update().get() : a.value().isDefined() ? a.value().get() : null;
      return v instanceof Number n ? n.longValue() : 0;
    }
  }
}
