package sparksgd.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Sample weights ({@code data.weight}) in the kernels: the weighted gradient against central finite
 * differences of the weighted loss sum, for every loss on linear and hidden models; and integer weights
 * give the loss and gradient of the same rows repeated that many times (0 = dropped).
 */
class SampleWeightGradientTest {
  private static final Mlp NET = new Mlp(4, new int[] {6}, new Activation[] {Activation.TANH}, 3,
      Initializer.GLOROT_UNIFORM);

  /** Non-negative weights for the rows of a problem's array (zeros included), indexed like the labels. */
  private static double[] weights(int rows, long seed, boolean integers) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] w = new double[rows];
    for (int i = 0; i < rows; i++) {
      w[i] = integers ? rnd.nextInt(4) : (i % 4 == 1 ? 0 : rnd.nextDouble(0.1, 3));
    }
    return w;
  }

  private static void check(Mlp net, Loss loss, long seed) {
    MlpGradientTest.Problem p = MlpGradientTest.problem(net, loss, 9, 2, seed);
    int total = p.batch().y().length / p.batch().labelWidth();
    MlpGradientTest.Problem weighted = new MlpGradientTest.Problem(p.params(),
        p.batch().weighted(weights(total, seed + 100, false)));
    MlpGradientTest.checkGradient(net, weighted, loss, net.newWorkspace(4)); // chunked: 4, 4, 1
  }

  @Test
  void weightedGradientsMatchFiniteDifferences() {
    check(Mlp.linear(4, 1), Losses.MSE, 1);
    check(Mlp.linear(4, 1), Losses.BCE, 2);
    check(Mlp.linear(4, 3), Losses.SOFTMAX, 3);
    check(NET, Losses.MSE, 4);
    check(NET, Losses.BCE, 5);
    check(NET, Losses.SOFTMAX, 6);
  }

  @Test
  void weightedLossIsTheWeightedSumOfRowLosses() {
    MlpGradientTest.Problem p = MlpGradientTest.problem(NET, Losses.SOFTMAX, 9, 2, 7);
    double[] w = weights(p.batch().y().length, 8, false);
    double got = NET.addGradient(p.params(), p.batch().weighted(w), Losses.SOFTMAX, new double[NET.numParams()],
        NET.newWorkspace(16));
    double expected = 0;
    for (int r = 0; r < 9; r++) {
      int row = 2 + r;
      Batch one = new Batch(p.batch().x(), p.batch().y(), row, 1, 4, 1);
      expected += w[row] * NET.addGradient(p.params(), one, Losses.SOFTMAX, new double[NET.numParams()],
          NET.newWorkspace(1));
    }
    assertEquals(expected, got, 1e-12 * expected);
  }

  /** Integer weights = the rows repeated: same loss sum and gradient sum, float64 and float32. */
  @Test
  void integerWeightsEqualRepeatedRows() {
    for (Loss loss : new Loss[] {Losses.MSE, Losses.BCE, Losses.SOFTMAX}) {
      MlpGradientTest.Problem p = MlpGradientTest.problem(NET, loss, 9, 2, 9);
      Batch b = p.batch();
      int lw = b.labelWidth();
      double[] w = weights(b.y().length / lw, 10, true);
      int n = 0;
      for (int r = 0; r < b.rows(); r++) {
        n += (int) w[b.offset() + r];
      }
      double[] x = new double[n * 4];
      double[] y = new double[n * lw];
      int at = 0;
      for (int r = 0; r < b.rows(); r++) {
        int row = b.offset() + r;
        for (int t = 0; t < (int) w[row]; t++, at++) {
          System.arraycopy(b.x(), row * 4, x, at * 4, 4);
          System.arraycopy(b.y(), row * lw, y, at * lw, lw);
        }
      }
      double[] gw = new double[NET.numParams()];
      double[] gr = new double[NET.numParams()];
      double lwSum = NET.addGradient(p.params(), b.weighted(w), loss, gw, NET.newWorkspace(4));
      double lrSum = NET.addGradient(p.params(), new Batch(x, y, 0, n, 4, lw), loss, gr, NET.newWorkspace(4));
      assertEquals(lrSum, lwSum, 1e-12 * lrSum, loss.name());
      assertArrayEquals(gr, gw, 1e-12 * maxAbs(gr), loss.name());

      float[] pf = new float[NET.numParams()];
      Precision.narrow(p.params(), pf, pf.length);
      float[] xw = new float[b.x().length];
      Precision.narrow(b.x(), xw, xw.length);
      float[] xr = new float[x.length];
      Precision.narrow(x, xr, xr.length);
      float[] fw = new float[NET.numParams()];
      float[] fr = new float[NET.numParams()];
      Mlp net32 = NET.withPrecision(Precision.FLOAT32);
      double fwSum = net32.addGradient(pf, Batch.dense32(xw, b.y(), b.offset(), b.rows(), 4, lw).weighted(w), loss,
          fw, net32.newWorkspace(4));
      double frSum = net32.addGradient(pf, Batch.dense32(xr, y, 0, n, 4, lw), loss, fr, net32.newWorkspace(4));
      assertEquals(frSum, fwSum, 1e-5 * frSum, loss.name() + " float32");
      for (int i = 0; i < fw.length; i++) {
        assertEquals(fr[i], fw[i], 1e-4 * maxAbs(gr), loss.name() + " float32 " + i);
      }
    }
  }

  /** Largest magnitude of an array (a scale for absolute tolerances). */
  private static double maxAbs(double[] a) {
    double m = 0;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
