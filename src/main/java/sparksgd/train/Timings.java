package sparksgd.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Where a run's time went, phase by phase (Spark start, data, training steps, evaluation,
 * checkpoints, report), for {@code metrics.json}'s {@code timings} and the console's last line.
 * Thread-safe: the checkpoint writer adds from its own thread.
 */
public final class Timings {
  public static final String SPARK_START = "spark_start";
  public static final String DATA = "read_validate_cache";
  public static final String ENGINE_START = "engine_start";
  public static final String STEPS = "training_steps";
  public static final String EVALUATION = "evaluation";
  public static final String EPOCH_OUTPUT = "epoch_output";
  /** Time the training loop waited on checkpoints (snapshots, and the final write). */
  public static final String CHECKPOINTS = "checkpoints";
  /** Time the background writer spent writing checkpoints, overlapped with training. */
  public static final String CHECKPOINT_WRITES = "checkpoint_writes_background";
  /** Time the background writer spent rewriting history.csv, overlapped with training. */
  public static final String HISTORY_WRITES = "history_writes_background";
  public static final String REPORT = "report";
  public static final String TRAINING = "training";
  public static final String TOTAL = "total";

  private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();

  public void add(String phase, long elapsedNanos) {
    nanos.computeIfAbsent(phase, k -> new LongAdder()).add(elapsedNanos);
  }

  /** Runs {@code work} and adds its duration to {@code phase}. */
  public <T> T time(String phase, Supplier<T> work) {
    long start = System.nanoTime();
    try {
      return work.get();
    } finally {
      add(phase, System.nanoTime() - start);
    }
  }

  public void time(String phase, Runnable work) {
    time(phase, () -> {
      work.run();
      return null;
    });
  }

  public double seconds(String phase) {
    LongAdder a = nanos.get(phase);
    return a == null ? 0 : a.sum() / 1e9;
  }

  /** Seconds per phase in a fixed order (phases never timed are left out), rounded to milliseconds. */
  public Map<String, Double> toMap() {
    Map<String, Double> m = new LinkedHashMap<>();
    for (String p : new String[] {SPARK_START, DATA, ENGINE_START, STEPS, EVALUATION, EPOCH_OUTPUT, CHECKPOINTS,
        CHECKPOINT_WRITES, HISTORY_WRITES, TRAINING, REPORT, TOTAL}) {
      if (nanos.containsKey(p)) {
        m.put(p, Math.round(seconds(p) * 1000) / 1000.0);
      }
    }
    return m;
  }

  /** Seconds since the JVM started: what a user waits from the command to the result. */
  public static long nanosSinceJvmStart() {
    long startMillis = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
    return Math.max(0, (System.currentTimeMillis() - startMillis) * 1_000_000L);
  }

  /**
   * The console's last line, e.g. "time 5.2s: Spark start 2.1s, read/validate/cache 0.4s, training 1.10s
   * (engine start 0.20s, steps 0.80s, evaluation 0.05s, checkpoints 0.02s, epoch output 0.01s), report 0.30s".
   */
  public String summary() {
    return String.format(Locale.ROOT, "time %.1fs: Spark start %.1fs, read/validate/cache %.1fs, training %.2fs "
        + "(engine start %.2fs, steps %.2fs, evaluation %.2fs, checkpoints %.2fs, epoch output %.2fs), report %.2fs",
        seconds(TOTAL), seconds(SPARK_START), seconds(DATA), seconds(TRAINING), seconds(ENGINE_START), seconds(STEPS),
        seconds(EVALUATION), seconds(CHECKPOINTS), seconds(EPOCH_OUTPUT), seconds(REPORT));
  }
}
