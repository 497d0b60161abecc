package sparksgd.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The float32 kernels: against the float64 kernels on the same (float-representable) parameters and rows,
 * and against central finite differences of their own float32 loss with a looser tolerance.
 */
class MlpFloat32Test {
  /** float32 carries ~7 digits; sums over a few dozen rows keep the norm-wise error well below this. */
  private static final double KERNEL_TOL = 1e-5;

  @ParameterizedTest
  @EnumSource(Activation.class)
  void hiddenNetworksMatchTheFloat64Kernel(Activation a) {
    compare(new Mlp(5, new int[] {8, 6}, new Activation[] {a, a}, 1, Initializer.GLOROT_UNIFORM), Losses.MSE, 1, 37, 0);
    compare(new Mlp(5, new int[] {8}, new Activation[] {a}, 3, Initializer.HE_NORMAL), Losses.SOFTMAX, 1, 29, 3);
    compare(new Mlp(5, new int[] {7, 1, 4}, new Activation[] {a, a, a}, 1, Initializer.HE_UNIFORM), Losses.BCE, 1,
        23, 3);
  }

  @Test
  void linearModelEveryLossMatchesTheFloat64Kernel() {
    compare(Mlp.linear(6, 1), Losses.MSE, 1, 40, 0);
    compare(Mlp.linear(6, 2), Losses.MSE, 2, 40, 5);
    compare(Mlp.linear(6, 1), Losses.BCE, 1, 40, 0);
    compare(Mlp.linear(6, 4), Losses.SOFTMAX, 1, 40, 4);
  }

  @Test
  void chunksSmallerThanTheBatchGiveTheSameSums() {
    // 37 rows through a 10-row workspace: four chunks accumulate into one gradient.
    compare(new Mlp(4, new int[] {6}, new Activation[] {Activation.RELU}, 1, Initializer.GLOROT_UNIFORM),
        Losses.MSE, 1, 37, 0, 10);
  }

  @Test
  void float32GradientMatchesFiniteDifferencesOfItsOwnLoss() {
    finiteDifferences(new Mlp(4, new int[] {5}, new Activation[] {Activation.TANH}, 3, Initializer.GLOROT_UNIFORM,
        Precision.FLOAT32), Losses.SOFTMAX);
  }

  @Test
  void oneOutputNetworksBackpropagateThroughTheOuterProduct() {
    // A single output column sends delta back through an outer product (a loop, not a K = 1 sgemm): two
    // hidden layers after it check it for the last layer and for the derivative it feeds.
    finiteDifferences(new Mlp(4, new int[] {5, 3}, new Activation[] {Activation.TANH, Activation.SIGMOID}, 1,
        Initializer.GLOROT_UNIFORM, Precision.FLOAT32), Losses.MSE);
    finiteDifferences(new Mlp(4, new int[] {6}, new Activation[] {Activation.TANH}, 1,
        Initializer.GLOROT_UNIFORM, Precision.FLOAT32), Losses.BCE);
  }

  private static void finiteDifferences(Mlp net, Loss loss) {
    SplittableRandom rnd = new SplittableRandom(7);
    int rows = 9;
    float[] x = new float[rows * 4];
    double[] y = new double[rows];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextDouble(-1, 1);
    }
    for (int r = 0; r < rows; r++) {
      y[r] = loss == Losses.SOFTMAX ? rnd.nextInt(3) : loss == Losses.BCE ? rnd.nextInt(2) : rnd.nextDouble(-1, 1);
    }
    double[] init = new double[net.numParams()];
    net.init(init, 3);
    float[] p = new float[init.length];
    Precision.narrow(init, p, init.length);
    Batch batch = Batch.dense32(x, y, 0, rows, 4, 1);
    Workspace ws = net.newWorkspace(rows);
    float[] grad = new float[p.length];
    net.addGradient(p, batch, loss, grad, ws);
    // h = 1e-2 keeps the float32 rounding of the loss (~1e-7 relative) far below the differences; the
    // truncation error of central differences is O(h^2).
    double h = 1e-2;
    double err = 0;
    double norm = 0;
    for (int i = 0; i < p.length; i++) {
      float keep = p[i];
      p[i] = (float) (keep + h);
      double up = net.addGradient(p, batch, loss, new float[p.length], ws);
      p[i] = (float) (keep - h);
      double down = net.addGradient(p, batch, loss, new float[p.length], ws);
      double step = (double) (float) (keep + h) - (double) (float) (keep - h);
      p[i] = keep;
      double fd = (up - down) / step;
      err = Math.max(err, Math.abs(fd - grad[i]));
      norm = Math.max(norm, Math.abs(fd));
    }
    assertTrue(norm > 0.1, "the check must exercise a real gradient");
    assertTrue(err / norm < 1e-3, net + " " + loss + ": float32 gradient vs finite differences, relative error "
        + err / norm);
  }

  @Test
  void initRoundsToFloatValuesOfTheSameDraws() {
    Mlp f64 = new Mlp(3, new int[] {4}, new Activation[] {Activation.RELU}, 2, Initializer.HE_NORMAL);
    double[] a = new double[f64.numParams()];
    double[] b = new double[f64.numParams()];
    f64.init(a, 11);
    f64.withPrecision(Precision.FLOAT32).init(b, 11);
    for (int i = 0; i < a.length; i++) {
      assertEquals((float) a[i], b[i], 0.0);
    }
    assertTrue(Precision.FLOAT32.holds(b));
  }

  @Test
  void mixingPrecisionsIsRefused() {
    Mlp f32 = Mlp.linear(2, 1).withPrecision(Precision.FLOAT32);
    Batch dense64 = Batch.of(new double[] {1, 2}, new double[] {1}, 1, 2);
    assertThrows(IllegalArgumentException.class,
        () -> f32.addGradient(new float[3], dense64, Losses.MSE, new float[3], f32.newWorkspace(1)));
    assertThrows(IllegalArgumentException.class,
        () -> f32.addGradient(new double[3], dense64, Losses.MSE, new double[3], f32.newWorkspace(1)));
  }

  private static void compare(Mlp net64, Loss loss, int labelWidth, int rows, int classes) {
    compare(net64, loss, labelWidth, rows, classes, rows);
  }

  /** {@code classes} > 0: softmax class-index labels; else random targets (0/1 for bce). */
  private static void compare(Mlp net64, Loss loss, int labelWidth, int rows, int classes, int wsRows) {
    Mlp net32 = net64.withPrecision(Precision.FLOAT32);
    SplittableRandom rnd = new SplittableRandom(rows * 31L + net64.numParams());
    int d = net64.inputs();
    float[] xf = new float[rows * d];
    double[] x = new double[rows * d];
    for (int i = 0; i < xf.length; i++) {
      xf[i] = (float) rnd.nextDouble(-2, 2);
      x[i] = xf[i];
    }
    double[] y = new double[rows * labelWidth];
    for (int i = 0; i < y.length; i++) {
      y[i] = classes > 0 ? rnd.nextInt(classes) : loss == Losses.BCE ? rnd.nextInt(2) : rnd.nextDouble(-1, 1);
    }
    double[] params = new double[net64.numParams()];
    net32.init(params, 5);
    for (int i = 0; i < params.length; i++) { // non-zero biases too, still float values
      params[i] += (float) rnd.nextDouble(-0.1, 0.1);
      params[i] = (float) params[i];
    }
    float[] pf = new float[params.length];
    Precision.narrow(params, pf, params.length);

    double[] g64 = new double[params.length];
    double l64 = net64.addGradient(params, new Batch(x, y, 0, rows, d, labelWidth), loss, g64,
        net64.newWorkspace(wsRows));
    float[] g32 = new float[params.length];
    double l32 = net32.addGradient(pf, Batch.dense32(xf, y, 0, rows, d, labelWidth), loss, g32,
        net32.newWorkspace(wsRows));
    double err = 0;
    double norm = 0;
    for (int i = 0; i < g64.length; i++) {
      err = Math.max(err, Math.abs(g64[i] - g32[i]));
      norm = Math.max(norm, Math.abs(g64[i]));
    }
    assertTrue(norm > 0, "gradient is zero");
    assertTrue(err / norm < KERNEL_TOL, net32 + " " + loss + ": float32 vs float64 gradient, relative error "
        + err / norm);
    assertEquals(l64, l32, 1e-5 * Math.abs(l64), "loss sums");

    double[] z64 = new double[rows * net64.outputs()];
    float[] z32 = new float[rows * net64.outputs()];
    net64.forward(params, new Batch(x, y, 0, rows, d, labelWidth), z64, net64.newWorkspace(wsRows));
    net32.forward(pf, Batch.dense32(xf, y, 0, rows, d, labelWidth), z32, net32.newWorkspace(wsRows));
    for (int i = 0; i < z64.length; i++) {
      assertEquals(z64[i], z32[i], 1e-5 * (1 + Math.abs(z64[i])), "output " + i);
    }
  }
}
