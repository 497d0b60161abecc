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

  /** Runs {@code step} for 0 .. n-1 and returns the median wall time of one call, in ms. */
  static double medianMs(int n, IntConsumer step) {
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      step.accept(i);
      t[i] = (System.nanoTime() - t0) / 1e6;
    }
    return median(t);
  }

  /** The middle value (the upper one of an even count). */
  static double median(double[] t) {
    double[] s = t.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
