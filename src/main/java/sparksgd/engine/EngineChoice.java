package sparksgd.engine;

import java.util.Locale;

/**
 * Which step engine a run uses ({@code training.engine}) and why. {@code auto} picks the in-driver
 * {@link LocalEngine} under a local master (the tasks would run in the driver's JVM anyway, so a step
 * needs no scheduler and no sockets) when a copy of the cached rows fits easily in the heap, and the gang
 * engine otherwise (any cluster master, an explicit allreduce exchange, or data too large to copy).
 */
public record EngineChoice(String engine, String reason) {
  /** The share of the driver's heap a local engine's copy of the cached rows may take. */
  public static final double LOCAL_COPY_HEAP_SHARE = 0.25;

  /**
   * @param configured training.engine: auto, local, gang or jobs
   * @param master the Spark master URL the run uses
   * @param exchange training.exchange: auto, driver or allreduce
   * @param cachedBytes the cached training rows' size
   * @param heapBytes the driver's maximum heap
   */
  public static EngineChoice choose(String configured, String master, String exchange, long cachedBytes,
      long heapBytes) {
    boolean localMaster = master.startsWith("local");
    switch (configured) {
      case "gang", "jobs" -> {
        return new EngineChoice(configured, "training.engine = " + configured);
      }
      case "local" -> {
        if (!localMaster) {
          throw new IllegalArgumentException("training.engine = local computes every step in the driver, for a "
              + "local master only, not " + master + "; use gang (or auto)");
        }
        return new EngineChoice("local", "training.engine = local");
      }
      case "auto" -> {
        if (!localMaster) {
          return new EngineChoice("gang", "auto: master " + master + " is a cluster");
        }
        if (exchange.equals("allreduce")) {
          return new EngineChoice("gang", "auto: training.exchange = allreduce runs on the gang's tasks");
        }
        double share = (double) cachedBytes / heapBytes;
        if (share > LOCAL_COPY_HEAP_SHARE) {
          return new EngineChoice("gang", String.format(Locale.ROOT, "auto: a copy of the %.0f MB of cached rows "
              + "would take %.0f%% of the heap", cachedBytes / 1e6, 100 * share));
        }
        return new EngineChoice("local", "auto: local master, steps computed in the driver");
      }
      default -> throw new IllegalArgumentException("training.engine must be auto, local, gang or jobs, got "
          + configured);
    }
  }

  /** The line printed at the start of a run. */
  public String describe() {
    return "engine: " + engine + " (" + reason + ")";
  }
}
