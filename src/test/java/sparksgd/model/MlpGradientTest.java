package sparksgd.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The analytic gradient of {@link Mlp#addGradient} against central finite differences of the model's own
 * loss sum. Parameters (biases included) are random and non-zero so every term matters.
 */
class MlpGradientTest {
  /** Norm-wise relative error bound; central differences with h = 1e-5 reach about 1e-9 here. */
  private static final double TOL = 1e-6;
  private static final double H = 1e-5;

  @ParameterizedTest
  @EnumSource(Activation.class)
  void oneHiddenLayer(Activation a) {
    check(new Mlp(4, new int[] {5}, new Activation[] {a}, 2, Initializer.GLOROT_UNIFORM), Losses.MSE, 7, 0, 1);
  }

  @ParameterizedTest
  @EnumSource(Activation.class)
  void twoHiddenLayers(Activation a) {
    check(new Mlp(3, new int[] {6, 4}, new Activation[] {a, a}, 2, Initializer.HE_NORMAL), Losses.MSE, 9, 0, 2);
  }

  @ParameterizedTest
  @EnumSource(Activation.class)
  void threeHiddenLayers(Activation a) {
    check(new Mlp(5, new int[] {4, 7, 3}, new Activation[] {a, Activation.TANH, a}, 1, Initializer.HE_UNIFORM),
        Losses.MSE, 6, 0, 3);
  }

  @Test
  void mixedActivationsAndWidthOneHiddenLayer() {
    // A hidden layer of width 1 takes the matrix-vector path inside the network.
    check(new Mlp(3, new int[] {1, 4}, new Activation[] {Activation.SIGMOID, Activation.RELU}, 3,
        Initializer.GLOROT_UNIFORM), Losses.MSE, 5, 0, 4);
  }

  @Test
  void linearModelEveryLoss() {
    check(Mlp.linear(6, 1), Losses.MSE, 8, 0, 5);
    check(Mlp.linear(6, 3), Losses.MSE, 8, 0, 6);
    check(Mlp.linear(6, 1), Losses.BCE, 8, 0, 7);
    check(Mlp.linear(6, 4), Losses.SOFTMAX, 8, 0, 8);
    checkOneHot(Mlp.linear(6, 4), 8, 9);
  }

  @Test
  void everyLossOnAHiddenNetwork() {
    Mlp net = new Mlp(4, new int[] {6}, new Activation[] {Activation.TANH}, 3, Initializer.GLOROT_UNIFORM);
    check(net, Losses.MSE, 7, 0, 10);
    check(net, Losses.BCE, 7, 0, 11);
    check(net, Losses.SOFTMAX, 7, 0, 12);
    checkOneHot(net, 7, 13);
    check(new Mlp(4, new int[] {6}, new Activation[] {Activation.RELU}, 1, Initializer.HE_NORMAL),
        Losses.BCE, 7, 0, 14);
  }

  @Test
  void batchOfOneRow() {
    Mlp net = new Mlp(4, new int[] {5, 5}, new Activation[] {Activation.RELU, Activation.SIGMOID}, 2,
        Initializer.GLOROT_UNIFORM);
    check(net, Losses.MSE, 1, 0, 15);
    check(net, Losses.SOFTMAX, 1, 0, 16);
  }

  @Test
  void lastPartialBatchViewWithOffset() {
    Mlp net = new Mlp(4, new int[] {5}, new Activation[] {Activation.TANH}, 2, Initializer.GLOROT_UNIFORM);
    // 7 rows starting at row 5 of a 20-row block.
    check(net, Losses.MSE, 7, 5, 17);
    check(net, Losses.SOFTMAX, 7, 5, 18);

    // The view must give the same numbers as a copy of just those rows.
    Problem p = problem(net, Losses.MSE, 7, 5, 19);
    double[] viewGrad = new double[net.numParams()];
    double viewLoss = net.addGradient(p.params, p.batch, Losses.MSE, viewGrad, net.newWorkspace(16));
    double[] x = new double[7 * 4];
    double[] y = new double[7 * 2];
    System.arraycopy(p.batch.x(), 5 * 4, x, 0, x.length);
    System.arraycopy(p.batch.y(), 5 * 2, y, 0, y.length);
    double[] copyGrad = new double[net.numParams()];
    double copyLoss = net.addGradient(p.params, new Batch(x, y, 0, 7, 4, 2), Losses.MSE, copyGrad,
        net.newWorkspace(16));
    assertEquals(copyLoss, viewLoss, 0.0);
    assertArrayEquals(copyGrad, viewGrad, 0.0);
  }

  @Test
  void batchLargerThanWorkspaceIsChunked() {
    Mlp net = new Mlp(4, new int[] {5, 3}, new Activation[] {Activation.TANH, Activation.RELU}, 2,
        Initializer.GLOROT_UNIFORM);
    Problem p = problem(net, Losses.MSE, 11, 2, 20);
    // 11 rows through a 4-row workspace: chunks of 4, 4, 3.
    checkGradient(net, p, Losses.MSE, net.newWorkspace(4));

    double[] whole = new double[net.numParams()];
    double wholeLoss = net.addGradient(p.params, p.batch, Losses.MSE, whole, net.newWorkspace(11));
    double[] chunked = new double[net.numParams()];
    double chunkedLoss = net.addGradient(p.params, p.batch, Losses.MSE, chunked, net.newWorkspace(4));
    assertEquals(wholeLoss, chunkedLoss, 1e-12 * Math.abs(wholeLoss));
    assertArrayEquals(whole, chunked, 1e-12);

    double[] outWhole = new double[11 * 2];
    double[] outChunked = new double[11 * 2];
    net.forward(p.params, p.batch, outWhole, net.newWorkspace(11));
    net.forward(p.params, p.batch, outChunked, net.newWorkspace(4));
    assertArrayEquals(outWhole, outChunked, 1e-15);
  }

  @Test
  void addGradientAddsToWhatIsThere() {
    Mlp net = new Mlp(3, new int[] {4}, new Activation[] {Activation.RELU}, 1, Initializer.GLOROT_UNIFORM);
    Problem p = problem(net, Losses.MSE, 5, 0, 21);
    Workspace ws = net.newWorkspace(8);
    double[] once = new double[net.numParams()];
    net.addGradient(p.params, p.batch, Losses.MSE, once, ws);
    double[] twice = new double[net.numParams() + 2]; // callers may pass a longer array (e.g. with a tail)
    net.addGradient(p.params, p.batch, Losses.MSE, twice, ws);
    net.addGradient(p.params, p.batch, Losses.MSE, twice, ws);
    for (int i = 0; i < once.length; i++) {
      assertEquals(2 * once[i], twice[i], 1e-12 * Math.abs(once[i]) + 1e-15);
    }
    assertEquals(0.0, twice[once.length]);
    assertEquals(0.0, twice[once.length + 1]);
  }

  @Test
  void emptyBatchAddsNothing() {
    Mlp net = Mlp.linear(3, 1);
    double[] grad = new double[net.numParams()];
    double loss = net.addGradient(new double[net.numParams()], new Batch(new double[6], new double[2], 2, 0, 3, 1),
        Losses.MSE, grad, net.newWorkspace(4));
    assertEquals(0.0, loss);
    assertArrayEquals(new double[net.numParams()], grad);
  }

  // ---------------------------------------------------------------------------------------------

  record Problem(double[] params, Batch batch) {}

  /** Random parameters and a batch view of {@code rows} rows starting at {@code offset}. */
  static Problem problem(Mlp net, Loss loss, int rows, int offset, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] params = new double[net.numParams()];
    for (int i = 0; i < params.length; i++) {
      params[i] = rnd.nextDouble(-0.8, 0.8);
    }
    int total = offset + rows + 3; // rows after the view too, which must not be touched
    int d = net.inputs();
    int k = net.outputs();
    double[] x = new double[total * d];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextDouble(-2, 2);
    }
    int lw;
    double[] y;
    switch (loss.name()) {
      case "mse":
        lw = k;
        y = new double[total * k];
        for (int i = 0; i < y.length; i++) {
          y[i] = rnd.nextDouble(-1, 1);
        }
        break;
      case "bce":
        lw = k;
        y = new double[total * k];
        for (int i = 0; i < y.length; i++) {
          y[i] = rnd.nextBoolean() ? 1 : 0;
        }
        break;
      default:
        lw = 1;
        y = new double[total];
        for (int i = 0; i < y.length; i++) {
          y[i] = rnd.nextInt(k);
        }
    }
    return new Problem(params, new Batch(x, y, offset, rows, d, lw));
  }

  private static void check(Mlp net, Loss loss, int rows, int offset, long seed) {
    Problem p = problem(net, loss, rows, offset, seed);
    checkGradient(net, p, loss, net.newWorkspace(Math.max(rows, 1)));
  }

  /** Softmax with one-hot rows: also the same gradient and loss as with the class indices. */
  private static void checkOneHot(Mlp net, int rows, long seed) {
    Problem p = problem(net, Losses.SOFTMAX, rows, 0, seed);
    int k = net.outputs();
    double[] oneHot = new double[p.batch.y().length * k];
    for (int r = 0; r < p.batch.y().length; r++) {
      oneHot[r * k + (int) p.batch.y()[r]] = 1.0;
    }
    Problem q = new Problem(p.params, new Batch(p.batch.x(), oneHot, 0, rows, net.inputs(), k));
    checkGradient(net, q, Losses.SOFTMAX, net.newWorkspace(rows));
    double[] g1 = new double[net.numParams()];
    double[] g2 = new double[net.numParams()];
    double l1 = net.addGradient(p.params, p.batch, Losses.SOFTMAX, g1, net.newWorkspace(rows));
    double l2 = net.addGradient(q.params, q.batch, Losses.SOFTMAX, g2, net.newWorkspace(rows));
    assertEquals(l1, l2, 1e-12 * l1);
    assertArrayEquals(g1, g2, 1e-12);
  }

  static void checkGradient(Mlp net, Problem p, Loss loss, Workspace ws) {
    int n = net.numParams();
    double[] grad = new double[n];
    double[] scratch = new double[n];
    double[] params = p.params.clone();
    net.addGradient(params, p.batch, loss, grad, ws);
    double[] fd = new double[n];
    for (int i = 0; i < n; i++) {
      double keep = params[i];
      params[i] = keep + H;
      double plus = net.addGradient(params, p.batch, loss, scratch, ws);
      params[i] = keep - H;
      double minus = net.addGradient(params, p.batch, loss, scratch, ws);
      params[i] = keep;
      fd[i] = (plus - minus) / (2 * H);
    }
    double diff = 0;
    for (int i = 0; i < n; i++) {
      diff += (grad[i] - fd[i]) * (grad[i] - fd[i]);
    }
    double scale = Math.max(l2(grad), l2(fd));
    double rel = Math.sqrt(diff) / scale;
    assertTrue(scale > 1e-3, "degenerate test: gradient is ~0 for " + net);
    assertTrue(rel < TOL, net + " " + loss + ": relative error " + rel);
  }

  private static double l2(double[] a) {
    double s = 0;
    for (double v : a) {
      s += v * v;
    }
    return Math.sqrt(s);
  }
}
