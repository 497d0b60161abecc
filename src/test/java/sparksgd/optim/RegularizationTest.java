package sparksgd.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import sparksgd.model.Mlp;

/**
 * The elastic-net penalty (proximal for SGD, subgradient for adaptive rules) and global-norm clipping,
 * against numbers worked out by hand. Parameters p0 = (1, -2), gradients g1 = (0.5, -1), g2 = (0.25, 0.5).
 */
class RegularizationTest {
  private static final double[] G1 = {0.5, -1};
  private static final double[] G2 = {0.25, 0.5};

  private static double[] run(Optimizer opt, double lr, double[]... grads) {
    double[] p = {1, -2};
    OptimizerState s = opt.initialise(2);
    for (double[] g : grads) {
      opt.step(p, g.clone(), s, lr);
    }
    return p;
  }

  private static Optimizer sgd(double l1, double mix, double clip, boolean[] mask) {
    return new Sgd().regularize(new Regularization(l1, mix, clip, mask));
  }

  /**
   * Lasso, l1 = 1, lr 0.1, second entry a bias (unpenalized). Threshold lr * l1 = 0.1.
   * Step 1: (1 - 0.05, -2 + 0.1) = (0.95, -1.9), shrink entry 0: (0.85, -1.9).
   * Step 2: (0.85 - 0.025, -1.9 - 0.05) = (0.825, -1.95), shrink: (0.725, -1.95).
   */
  @Test
  void proximalSgdShrinksWeightsNotBiases() {
    assertArrayEquals(new double[] {0.725, -1.95}, run(sgd(1, 1, 0, new boolean[] {true, false}), 0.1, G1, G2),
        1e-15);
  }

  /**
   * Threshold 1 (l1 = 10, lr 0.1), every entry penalized. Step 1: (0.95, -1.9) -> (0, -0.9): exact 0.
   * Step 2: (-0.025, -0.95) -> (0, 0): both exact zeros, where a subgradient step would oscillate around 0.
   */
  @Test
  void proximalSgdReachesExactZeros() {
    double[] p = run(sgd(10, 1, 0, null), 0.1, G1);
    assertEquals(0.0, p[0], 0.0);
    assertEquals(-0.9, p[1], 1e-15);
    double[] p2 = run(sgd(10, 1, 0, null), 0.1, G1, G2);
    assertArrayEquals(new double[] {0, 0}, p2, 0.0);
  }

  /**
   * Elastic net l1 = 0.2, mix 0.5: L2 strength 0.1 (gradient), L1 strength 0.1 (threshold lr * 0.1 = 0.01).
   * g1 + 0.1 p0 = (0.6, -1.2); p = (0.94, -1.88); shrink: (0.93, -1.87).
   */
  @Test
  void elasticNetSgd() {
    assertArrayEquals(new double[] {0.93, -1.87}, run(sgd(0.2, 0.5, 0, null), 0.1, G1), 1e-15);
  }

  /** Ridge end (mix 0) equals weight decay 0.2 on the penalized entries: g1 + 0.2 (1, 0) = (0.7, -1); p = (0.93, -1.9). */
  @Test
  void ridgeEndIsWeightDecayOnWeights() {
    assertArrayEquals(new double[] {0.93, -1.9}, run(sgd(0.2, 0, 0, new boolean[] {true, false}), 0.1, G1), 1e-15);
  }

  /**
   * Adam takes the L1 subgradient: with l1 = 1 its first step sees g = g1 + sign(p0) * (1, 0-for-bias)
   * = (1.5, -1) and moves each entry by lr * g / (|g| + eps) (m-hat = g, v-hat = g^2 at t = 1):
   * p1 = (1 - 0.1 * 1.5 / (1.5 + 1e-7), -2 + 0.1 * 1 / (1 + 1e-7)).
   */
  @Test
  void adamUsesSubgradient() {
    Optimizer adam = new Adam().regularize(new Regularization(1, 1, 0, new boolean[] {true, false}));
    double[] p = run(adam, 0.1, G1);
    assertArrayEquals(new double[] {1 - 0.1 * 1.5 / (1.5 + 1e-7), -2 + 0.1 / (1 + 1e-7)}, p, 1e-15);
  }

  /** RmsProp, same subgradient: v = 0.1 g^2, p -= lr g / sqrt(v + eps) with g = (1.5, -1). */
  @Test
  void rmsPropUsesSubgradient() {
    Optimizer rms = new RmsProp().regularize(new Regularization(1, 1, 0, new boolean[] {true, false}));
    double[] p = run(rms, 0.1, G1);
    assertArrayEquals(new double[] {1 - 0.15 / Math.sqrt(0.225 + 1e-7), -2 + 0.1 / Math.sqrt(0.1 + 1e-7)}, p, 1e-15);
  }

  /**
   * Clip 1: g = (3, 4) has norm 5, becomes (0.6, 0.8); lr 1: p = (0.4, -2.8). A gradient already inside
   * the ball, (0.3, 0.4), is untouched: p = (0.7, -2.4).
   */
  @Test
  void clipNormScalesOnlyLongGradients() {
    assertArrayEquals(new double[] {0.4, -2.8}, run(sgd(0, 1, 1, null), 1.0, new double[] {3, 4}), 1e-15);
    assertArrayEquals(new double[] {0.7, -2.4}, run(sgd(0, 1, 1, null), 1.0, new double[] {0.3, 0.4}), 1e-15);
  }

  /**
   * Clipping comes before weight decay: wd 0.1, clip 1, g = (3, 4) -> (0.6, 0.8) + 0.1 (1, -2) = (0.7, 0.6);
   * lr 1: p = (0.3, -2.6). (Decay first would give (3.1, 3.8), clipped to norm 1: a different point.)
   */
  @Test
  void clipBeforeDecay() {
    Optimizer opt = new Sgd(0, false, 0.1).regularize(new Regularization(0, 1, 1, null));
    assertArrayEquals(new double[] {0.3, -2.6}, run(opt, 1.0, new double[] {3, 4}), 1e-15);
  }

  /** An MLP 3-2-1: W1 (6), b1 (2), W2 (2), b2 (1); only the W entries are penalized. */
  @Test
  void maskFromLayoutLeavesBiasesOut() {
    Mlp mlp = Mlp.of(3, List.of(2), List.of("relu"), "glorot-uniform", 1);
    boolean[] m = Regularization.weightMask(mlp.layout());
    boolean[] expected = {true, true, true, true, true, true, false, false, true, true, false};
    assertArrayEquals(expected, m);
  }

  /** Stopping after step 1 and continuing from a serialized copy of rule and state equals two steps in one go. */
  @Test
  void resumableBitForBit() throws Exception {
    Optimizer opt = new Sgd(0.9, true, 0.01).regularize(new Regularization(0.3, 0.7, 0.8, new boolean[] {true, false}));
    double[] straight = run(opt, 0.1, G1, G2);
    double[] p = {1, -2};
    OptimizerState s = opt.initialise(2);
    opt.step(p, G1.clone(), s, 0.1);
    Optimizer opt2 = roundTrip(opt);
    OptimizerState s2 = roundTrip(s);
    opt2.step(p, G2.clone(), s2, 0.1);
    assertArrayEquals(straight, p, 0.0);
  }

  @Test
  void refusesBadSettings() {
    assertThrows(IllegalArgumentException.class, () -> new Regularization(-1, 1, 0, null));
    assertThrows(IllegalArgumentException.class, () -> new Regularization(1, 1.5, 0, null));
    assertThrows(IllegalArgumentException.class, () -> new Regularization(1, 1, Double.NaN, null));
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T o) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }
}
