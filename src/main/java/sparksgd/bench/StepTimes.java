package sparksgd.bench;

import java.util.Arrays;
import java.util.function.IntConsumer;

/** The bench parts' one timing loop: untimed warm-up steps, then the median of timed ones. */
final class StepTimes {
  private StepTimes() {}

  /** Runs {@code step} for 0 .. n-1, untimed (JIT, caches, the engine's first connections). */
  static void warm(int n, IntConsumer step) {
    for (int i = 0; i < n; i++) {
      step.accept(i);
    }
  }

  /**
   * Runs {@code step} untimed at least {@code n} times and for at least {@code seconds}: a pass over a
   * million rows is only a few dozen milliseconds, and the JIT's compiler threads, which share the two cores
   * with the tasks, go on compiling the path for longer than a fixed handful of passes.
   */
  static void warmFor(int n, double seconds, IntConsumer step) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    for (int i = 0; i < n || System.nanoTime() < end; i++) {
      step.accept(i);
    }
  }

  /** Runs {@code step} for 0 .. n-1 and returns the median wall time of one call, in ms. */
  static double medianMs(int n, IntConsumer step) {
    return median(timesMs(n, step));
  }

  /** Runs {@code step} for 0 .. n-1 and returns the wall time of each call, in ms. */
  static double[] timesMs(int n, IntConsumer step) {
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      step.accept(i);
      t[i] = (System.nanoTime() - t0) / 1e6;
    }
    return t;
  }

  /** The middle value (the upper one of an even count). */
  static double median(double[] t) {
    double[] s = t.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  /**
   * CPU time of the whole process (driver, the local task threads, JIT, GC), in ns, or -1 when the JVM does
   * not tell: on a machine shared with other work, wall time measures the share of the cores a run got, CPU
   * time the work it did.
   */
  static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() : -1;
  }
}
