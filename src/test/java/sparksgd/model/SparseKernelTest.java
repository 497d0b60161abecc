package sparksgd.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Kernels over CSR rows: the gradient against central finite differences, against the dense kernel on the
 * same rows densified, and the float32 sparse kernel against the float64 one. Rows have a few nonzeros
 * out of many features, one row has none, and the batch view starts at an offset.
 */
class SparseKernelTest {
  private static final int D = 40;

  /** CSR rows [0, rows) with up to 4 nonzeros each (row 2 empty), ascending columns, and their dense copy. */
  record Rows(int[] start, int[] col, double[] val, double[] dense, double[] y) {}

  static Rows rows(int rows, int classes, Loss loss, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] start = new int[rows + 1];
    List<Integer> cols = new ArrayList<>();
    List<Double> vals = new ArrayList<>();
    double[] dense = new double[rows * D];
    double[] y = new double[rows];
    for (int r = 0; r < rows; r++) {
      int c = rnd.nextInt(5);
      for (int k = 0; k < (r == 2 ? 0 : 1 + rnd.nextInt(4)); k++) {
        c += 1 + rnd.nextInt(8);
        if (c >= D) {
          break;
        }
        double v = (float) rnd.nextDouble(-2, 2); // float values, so the float32 kernel sees the same rows
        cols.add(c);
        vals.add(v);
        dense[r * D + c] = v;
      }
      start[r + 1] = cols.size();
      y[r] = classes > 0 ? rnd.nextInt(classes) : loss == Losses.BCE ? rnd.nextInt(2) : rnd.nextDouble(-1, 1);
    }
    return new Rows(start, cols.stream().mapToInt(Integer::intValue).toArray(),
        vals.stream().mapToDouble(Double::doubleValue).toArray(), dense, y);
  }

  static double[] params(Mlp net, long seed) {
    double[] p = new double[net.numParams()];
    net.withPrecision(Precision.FLOAT32).init(p, seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) (p[i] + rnd.nextDouble(-0.1, 0.1));
    }
    return p;
  }

  @Test
  void linearEveryLoss() {
    check(Mlp.linear(D, 1), Losses.MSE, 0);
    check(Mlp.linear(D, 1), Losses.BCE, 0);
    check(Mlp.linear(D, 5), Losses.SOFTMAX, 5);
  }

  @Test
  void sparseFirstLayerOfAnMlp() {
    check(new Mlp(D, new int[] {6}, new Activation[] {Activation.TANH}, 1, Initializer.GLOROT_UNIFORM), Losses.MSE, 0);
    check(new Mlp(D, new int[] {7, 3}, new Activation[] {Activation.SIGMOID, Activation.RELU}, 3,
        Initializer.HE_NORMAL), Losses.SOFTMAX, 3);
  }

  @Test
  void anIndexBeyondTheModelIsRefused() {
    Mlp net = Mlp.linear(3, 1);
    Batch b = Batch.csr(new int[] {0, 1}, new int[] {3}, new double[] {1}, null, new double[] {0}, 0, 1, 3);
    assertThrows(IllegalArgumentException.class,
        () -> net.addGradient(new double[4], b, Losses.MSE, new double[4], net.newWorkspace(1)));
  }

  private static void check(Mlp net, Loss loss, int classes) {
    int total = 23;
    int offset = 3; // the view: rows [3, 23)
    int rows = total - offset;
    Rows data = rows(total, classes, loss, net.numParams());
    double[] p = params(net, 9);
    Batch sparse = Batch.csr(data.start(), data.col(), data.val(), null, data.y(), offset, rows, D);
    Workspace ws = net.newWorkspace(7); // chunks of 7 rows
    double[] g = new double[p.length];
    double lossSum = net.addGradient(p, sparse, loss, g, ws);

    // The dense kernel on the same rows: the same sums up to the order of additions.
    double[] gDense = new double[p.length];
    double lossDense = net.addGradient(p, new Batch(data.dense(), data.y(), offset, rows, D, 1), loss, gDense, ws);
    assertEquals(lossDense, lossSum, 1e-12 * Math.abs(lossDense));
    assertClose(gDense, g, 1e-12, net + " sparse vs dense");

    // Central finite differences of the sparse kernel's own loss.
    double h = 1e-5;
    double[] fd = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      double keep = p[i];
      p[i] = keep + h;
      double up = net.addGradient(p, sparse, loss, new double[p.length], ws);
      p[i] = keep - h;
      double down = net.addGradient(p, sparse, loss, new double[p.length], ws);
      p[i] = keep;
      fd[i] = (up - down) / (2 * h);
    }
    assertClose(fd, g, 1e-6, net + " sparse vs finite differences");

    // The float32 sparse kernel against the float64 one.
    Mlp net32 = net.withPrecision(Precision.FLOAT32);
    float[] vf = new float[data.val().length];
    Precision.narrow(data.val(), vf, vf.length);
    float[] pf = new float[p.length];
    Precision.narrow(p, pf, p.length);
    float[] g32 = new float[p.length];
    double loss32 = net32.addGradient(pf, Batch.csr(data.start(), data.col(), null, vf, data.y(), offset, rows, D),
        loss, g32, net32.newWorkspace(7));
    double[] g32d = new double[p.length];
    Precision.widen(g32, g32d, p.length);
    assertClose(g, g32d, 1e-5, net + " float32 sparse vs float64 sparse");
    assertEquals(lossSum, loss32, 1e-5 * Math.abs(lossSum));

    // Forward agrees with the dense forward.
    double[] z = new double[rows * net.outputs()];
    double[] zd = new double[rows * net.outputs()];
    net.forward(p, sparse, z, ws);
    net.forward(p, new Batch(data.dense(), data.y(), offset, rows, D, 1), zd, ws);
    assertClose(zd, z, 1e-12, "forward");
  }

  /** Norm-wise: max |a - b| <= rel * max |a|. */
  static void assertClose(double[] expected, double[] actual, double rel, String what) {
    double err = 0;
    double norm = 0;
    for (int i = 0; i < expected.length; i++) {
      err = Math.max(err, Math.abs(expected[i] - actual[i]));
      norm = Math.max(norm, Math.abs(expected[i]));
    }
    assertTrue(norm > 0, what + ": zero gradient");
    assertTrue(err <= rel * norm, what + ": relative error " + err / norm);
  }
}
