package sparksgd.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Class weights in the loss: hand values, and dLoss/dz and dLoss/dparams against finite differences. */
class ClassWeightedLossTest {

  /**
   * bce at z = 0 has per-row loss log 2 and dL/dz = 0.5 - y. Weights [1, 3], labels (0, 1):
   * loss = log 2 + 3 log 2 = 4 log 2, delta = (0.5, 3 * -0.5) = (0.5, -1.5).
   */
  @Test
  void bceByHand() {
    Loss l = new ClassWeightedLoss(Losses.BCE, new double[] {1, 3});
    double[] delta = new double[2];
    double loss = l.lossAndDelta(new double[] {0, 0}, 0, new double[] {0, 1}, 0, 2, 1, 1, delta);
    assertEquals(4 * Math.log(2), loss, 1e-15);
    assertArrayEquals(new double[] {0.5, -1.5}, delta, 1e-15);
    assertEquals(4 * Math.log(2), l.loss(new double[] {0, 0}, 0, new double[] {0, 1}, 0, 2, 1, 1), 1e-15);
  }

  /** softmax, 3 classes, z = 0: per-row loss log 3. Weights [1, 2, 0.5], labels (2, 1): 0.5 log 3 + 2 log 3. */
  @Test
  void softmaxByHand() {
    Loss l = new ClassWeightedLoss(Losses.SOFTMAX, new double[] {1, 2, 0.5});
    double[] delta = new double[6];
    double loss = l.lossAndDelta(new double[6], 0, new double[] {2, 1}, 0, 2, 3, 1, delta);
    assertEquals(2.5 * Math.log(3), loss, 1e-15);
    double third = 1.0 / 3;
    assertArrayEquals(new double[] {0.5 * third, 0.5 * third, 0.5 * (third - 1), 2 * third, 2 * (third - 1), 2 * third},
        delta, 1e-15);
  }

  @Test
  void deltaMatchesFiniteDifferences() {
    Random rnd = new Random(7);
    check(new ClassWeightedLoss(Losses.BCE, new double[] {0.3, 4}), 1, new double[] {0, 1, 1, 0, 1}, rnd);
    check(new ClassWeightedLoss(Losses.SOFTMAX, new double[] {2, 0.5, 1.5}), 3, new double[] {0, 2, 1, 1, 2}, rnd);
  }

  private static void check(Loss l, int k, double[] y, Random rnd) {
    int rows = y.length;
    double[] z = new double[rows * k];
    for (int i = 0; i < z.length; i++) {
      z[i] = rnd.nextGaussian();
    }
    double[] delta = new double[z.length];
    l.lossAndDelta(z, 0, y, 0, rows, k, 1, delta);
    double h = 1e-6;
    for (int i = 0; i < z.length; i++) {
      double[] zp = z.clone();
      double[] zm = z.clone();
      zp[i] += h;
      zm[i] -= h;
      double fd = (l.loss(zp, 0, y, 0, rows, k, 1) - l.loss(zm, 0, y, 0, rows, k, 1)) / (2 * h);
      assertEquals(fd, delta[i], 1e-7, "dL/dz[" + i + "]");
    }
  }

  /** The whole MLP's gradient with a weighted loss against finite differences of its summed loss. */
  @Test
  void mlpGradientWithWeights() {
    Mlp mlp = Mlp.of(3, List.of(4), List.of("tanh"), "glorot-uniform", 3);
    Loss l = new ClassWeightedLoss(Losses.SOFTMAX, new double[] {0.2, 3, 1});
    double[] p = new double[mlp.numParams()];
    mlp.init(p, 11);
    Random rnd = new Random(3);
    int rows = 6;
    double[] x = new double[rows * 3];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextGaussian();
    }
    double[] y = {0, 1, 2, 1, 1, 0};
    Batch batch = new Batch(x, y, 0, rows, 3, 1);
    double[] grad = new double[p.length];
    mlp.addGradient(p, batch, l, grad, mlp.newWorkspace(rows));
    double h = 1e-6;
    for (int i = 0; i < p.length; i++) {
      double[] pp = p.clone();
      double[] pm = p.clone();
      pp[i] += h;
      pm[i] -= h;
      double fp = mlp.addGradient(pp, batch, l, new double[p.length], mlp.newWorkspace(rows));
      double fm = mlp.addGradient(pm, batch, l, new double[p.length], mlp.newWorkspace(rows));
      assertEquals((fp - fm) / (2 * h), grad[i], 1e-7, "param " + i);
    }
  }

  @Test
  void refusesMseAndBadWeights() {
    assertThrows(IllegalArgumentException.class, () -> new ClassWeightedLoss(Losses.MSE, new double[] {1}));
    assertThrows(IllegalArgumentException.class, () -> new ClassWeightedLoss(Losses.BCE, new double[] {1, -1}));
  }
}
