package sparksgd.bench;

import dev.ludovic.netlib.blas.BLAS;
import java.util.Arrays;
import sparksgd.model.Blas;

/**
 * How fast the machine computes right now, apart from anything spark-sgd does: one thread, a 2,048 x 32
 * block held in the cache, a float32 and a float64 matrix-vector pass (sgemv / dgemv, as the linear pass
 * does them). On the 2-core virtual machine it runs 8-9 / 13-14 microseconds a block most of the time, and
 * 11-13 / 17 in spells of 15-30 s when the host is busy, with nothing else running in the machine; the
 * float32 pass slows more than the float64 one there, so a run's float32 / float64 ratio moves with them.
 * Printed and written next to the figures it qualifies; never a figure of ours.
 */
final class HostProbe {
  private static final int ROWS = 2048;
  private static final int COLS = 32;

  private HostProbe() {}

  /** {median microseconds a float32 block, median microseconds a float64 block} over about {@code seconds}. */
  static double[] measure(double seconds) {
    BLAS blas = Blas.get();
    float[] xf = new float[ROWS * COLS];
    double[] xd = new double[ROWS * COLS];
    for (int i = 0; i < xd.length; i++) {
      xd[i] = Math.sin(i);
      xf[i] = (float) xd[i];
    }
    float[] wf = new float[COLS];
    float[] gf = new float[COLS];
    float[] zf = new float[ROWS];
    double[] wd = new double[COLS];
    double[] gd = new double[COLS];
    double[] zd = new double[ROWS];
    Arrays.fill(wf, 0.01f);
    Arrays.fill(wd, 0.01);
    int windows = Math.max(3, (int) (seconds * 10));
    double[] f = new double[windows];
    double[] d = new double[windows];
    int calls = 200;
    for (int k = 0; k < windows; k++) {
      long t0 = System.nanoTime();
      for (int c = 0; c < calls; c++) {
        blas.sgemv("T", COLS, ROWS, 1f, xf, 0, COLS, wf, 0, 1, 0f, zf, 0, 1);
        blas.sgemv("N", COLS, ROWS, 1f, xf, 0, COLS, zf, 0, 1, 0f, gf, 0, 1);
      }
      long t1 = System.nanoTime();
      for (int c = 0; c < calls; c++) {
        blas.dgemv("T", COLS, ROWS, 1.0, xd, 0, COLS, wd, 0, 1, 0.0, zd, 0, 1);
        blas.dgemv("N", COLS, ROWS, 1.0, xd, 0, COLS, zd, 0, 1, 0.0, gd, 0, 1);
      }
      long t2 = System.nanoTime();
      f[k] = (t1 - t0) / 1e3 / calls;
      d[k] = (t2 - t1) / 1e3 / calls;
    }
    return new double[] {StepTimes.median(f), StepTimes.median(d)};
  }
}
