package sparksgd.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Each rule against numbers worked out by hand from its published formula. All use parameters
 * p0 = (1, -2) and gradients g1 = (0.5, -1), g2 = (0.25, 0.5), g3 = (0, 0) unless stated.
 */
class OptimizerTest {
  private static final double[] G1 = {0.5, -1};
  private static final double[] G2 = {0.25, 0.5};
  private static final double[] G3 = {0, 0};
  private static final double EPS = 1e-15;

  private static double[] run(Optimizer opt, OptimizerState s, double lr, double[]... grads) {
    double[] p = {1, -2};
    for (double[] g : grads) {
      opt.step(p, g.clone(), s, lr);
    }
    return p;
  }

  /** Plain SGD, lr 0.1: p -= lr g. p1 = (0.95, -1.9); p2 = (0.925, -1.95). */
  @Test
  void sgd() {
    Optimizer opt = new Sgd();
    OptimizerState s = opt.initialise(2);
    assertArrayEquals(new double[] {0.925, -1.95}, run(opt, s, 0.1, G1, G2), EPS);
    assertEquals(2, s.step());
    assertTrue(s.slots().isEmpty(), "plain SGD keeps no state");
  }

  /**
   * Momentum 0.9, lr 0.1 (Keras): v = 0.9 v - 0.1 g; p += v.
   * v1 = (-0.05, 0.1), p1 = (0.95, -1.9); v2 = (-0.045 - 0.025, 0.09 - 0.05) = (-0.07, 0.04),
   * p2 = (0.88, -1.86); v3 = (-0.063, 0.036), p3 = (0.817, -1.824).
   */
  @Test
  void sgdMomentum() {
    Optimizer opt = new Sgd(0.9, false, 0);
    OptimizerState s = opt.initialise(2);
    assertArrayEquals(new double[] {0.817, -1.824}, run(opt, s, 0.1, G1, G2, G3), 1e-14);
    assertArrayEquals(new double[] {-0.063, 0.036}, s.slots().get("velocity"), 1e-15);
    assertEquals(3, s.step());
  }

  /**
   * Nesterov, momentum 0.9, lr 0.1 (Keras): v = 0.9 v - 0.1 g; p += 0.9 v - 0.1 g.
   * v1 = (-0.05, 0.1), p1 = (1 - 0.045 - 0.05, -2 + 0.09 + 0.1) = (0.905, -1.81);
   * v2 = (-0.07, 0.04), p2 = (0.905 - 0.063 - 0.025, -1.81 + 0.036 - 0.05) = (0.817, -1.824).
   */
  @Test
  void sgdNesterov() {
    Optimizer opt = new Sgd(0.9, true, 0);
    OptimizerState s = opt.initialise(2);
    double[] p = {1, -2};
    opt.step(p, G1.clone(), s, 0.1);
    assertArrayEquals(new double[] {0.905, -1.81}, p, 1e-15);
    opt.step(p, G2.clone(), s, 0.1);
    assertArrayEquals(new double[] {0.817, -1.824}, p, 1e-14);
  }

  /**
   * Weight decay 0.1 with plain SGD, lr 0.1: g' = g + 0.1 p.
   * g1' = (0.5 + 0.1, -1 - 0.2) = (0.6, -1.2), p1 = (0.94, -1.88);
   * g2' = (0.25 + 0.094, 0.5 - 0.188) = (0.344, 0.312), p2 = (0.9056, -1.9112).
   */
  @Test
  void sgdWeightDecay() {
    Optimizer opt = new Sgd(0, false, 0.1);
    assertArrayEquals(new double[] {0.9056, -1.9112}, run(opt, opt.initialise(2), 0.1, G1, G2), 1e-15);
  }

  /**
   * RMSprop, rho 0.9, epsilon 1e-7, lr 0.01, in Keras's (and TensorFlow's) form with epsilon INSIDE the
   * root: v = rho v + (1 - rho) g^2; p -= lr g / sqrt(v + eps). (PyTorch: g / (sqrt(v) + eps).)
   * v1 = 0.1 g1^2 = (0.025, 0.1); v2 = 0.9 v1 + 0.1 g2^2 = (0.0225 + 0.00625, 0.09 + 0.025) = (0.02875, 0.115).
   */
  @Test
  void rmsprop() {
    Optimizer opt = new RmsProp();
    OptimizerState s = opt.initialise(2);
    double p1a = 1 - 0.01 * 0.5 / Math.sqrt(0.025 + 1e-7);
    double p1b = -2 + 0.01 * 1 / Math.sqrt(0.1 + 1e-7);
    double p2a = p1a - 0.01 * 0.25 / Math.sqrt(0.02875 + 1e-7);
    double p2b = p1b - 0.01 * 0.5 / Math.sqrt(0.115 + 1e-7);
    assertArrayEquals(new double[] {p2a, p2b}, run(opt, s, 0.01, G1, G2), 1e-15);
    assertArrayEquals(new double[] {0.02875, 0.115}, s.slots().get("velocity"), 1e-16);
  }

  /** A large epsilon (0.01) separates Keras's sqrt(v + eps) from PyTorch's sqrt(v) + eps. */
  @Test
  void rmspropEpsilonIsInsideTheRoot() {
    Optimizer opt = new RmsProp(0.9, 0.01, 0);
    double[] p = run(opt, opt.initialise(2), 0.01, G1);
    // v1 = 0.025: Keras 0.5 / sqrt(0.035) = 2.672612419124244; PyTorch 0.5 / (0.158113883 + 0.01) = 2.974...
    assertEquals(1 - 0.01 * 2.672612419124244, p[0], 1e-15);
  }

  /**
   * Adam (Kingma &amp; Ba, Algorithm 1), lr 0.1, beta1 0.9, beta2 0.999, eps 1e-7:
   * m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; p -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
   * t = 1: m = (0.05, -0.1), v = (0.00025, 0.001); mhat = (0.5, -1), vhat = (0.25, 1):
   *        the bias-corrected first step is lr * sign(g): p1 = (1 - 0.1 * 0.5 / (0.5 + eps), -2 + 0.1 / (1 + eps)).
   * t = 2: m = (0.045 + 0.025, -0.09 + 0.05) = (0.07, -0.04);
   *        v = (0.00024975 + 0.0000625, 0.000999 + 0.00025) = (0.00031225, 0.001249);
   *        1 - 0.9^2 = 0.19, 1 - 0.999^2 = 0.001999.
   */
  @Test
  void adam() {
    Optimizer opt = new Adam();
    OptimizerState s = opt.initialise(2);
    double[] p = {1, -2};
    opt.step(p, G1.clone(), s, 0.1);
    double p1a = 1 - 0.1 * 0.5 / (0.5 + 1e-7);
    double p1b = -2 + 0.1 * 1 / (1 + 1e-7);
    assertArrayEquals(new double[] {p1a, p1b}, p, 1e-15);
    opt.step(p, G2.clone(), s, 0.1);
    double p2a = p1a - 0.1 * (0.07 / 0.19) / (Math.sqrt(0.00031225 / 0.001999) + 1e-7);
    double p2b = p1b - 0.1 * (-0.04 / 0.19) / (Math.sqrt(0.001249 / 0.001999) + 1e-7);
    assertArrayEquals(new double[] {p2a, p2b}, p, 1e-13);
    assertArrayEquals(new double[] {0.07, -0.04}, s.slots().get("m"), 1e-16);
    assertArrayEquals(new double[] {0.00031225, 0.001249}, s.slots().get("v"), 1e-17);
    assertEquals(2, s.step());
    assertEquals(List.of("m", "v"), List.copyOf(s.slots().keySet()));
  }

  /**
   * Weight decay 1 with Adam flips the gradient's sign: g = (-0.5, 1), p = (1, -2), g' = g + p = (0.5, -1),
   * so the first step goes to (0.9, -1.9) (lr * sign(g')), not (1.1, -2.1).
   */
  @Test
  void adamWeightDecay() {
    Optimizer opt = new Adam(0.9, 0.999, 1e-7, 1.0);
    double[] p = run(opt, opt.initialise(2), 0.1, new double[] {-0.5, 1});
    assertArrayEquals(new double[] {1 - 0.1 * 0.5 / (0.5 + 1e-7), -2 + 0.1 / (1 + 1e-7)}, p, 1e-15);
  }

  /** Weight decay is the same "g += wd p" for every rule: rmsprop with decay = rmsprop on g + wd p. */
  @Test
  void rmspropWeightDecayIsAddedToTheGradient() {
    double[] decayed = run(new RmsProp(0.9, 1e-7, 0.5), new RmsProp().initialise(2), 0.01, G1);
    double[] manual = run(new RmsProp(), new RmsProp().initialise(2), 0.01,
        new double[] {0.5 + 0.5 * 1, -1 + 0.5 * -2});
    assertArrayEquals(manual, decayed, 0.0);
  }

  @Test
  void stateResumesExactly() {
    // Two steps in one go equal one step, a "checkpoint" (copy of slots and step), and one more step.
    Optimizer opt = new Adam();
    OptimizerState a = opt.initialise(2);
    double[] straight = run(opt, a, 0.1, G1, G2);
    OptimizerState b = opt.initialise(2);
    double[] p = {1, -2};
    opt.step(p, G1.clone(), b, 0.1);
    OptimizerState restored = new OptimizerState();
    restored.setStep(b.step());
    b.slots().forEach((k, v) -> System.arraycopy(v, 0, restored.slot(k, v.length), 0, v.length));
    opt.step(p, G2.clone(), restored, 0.1);
    assertArrayEquals(straight, p, 0.0);
  }

  @Test
  void validation() {
    expect("momentum", () -> new Sgd(1.0, false, 0));
    expect("momentum", () -> new Sgd(-0.1, false, 0));
    expect("rho", () -> new RmsProp(1.0, 1e-7, 0));
    expect("epsilon", () -> new RmsProp(0.9, 0, 0));
    expect("beta1", () -> new Adam(1.0, 0.999, 1e-7, 0));
    expect("beta2", () -> new Adam(0.9, Double.NaN, 1e-7, 0));
    expect("weight-decay", () -> new Adam(0.9, 0.999, 1e-7, -1));
    expect("learning rate", () -> new Sgd().step(new double[1], new double[1], new OptimizerState(), -1));
    OptimizerState other = new Adam().initialise(3);
    expect("slot 'm'", () -> new Adam().step(new double[2], new double[2], other, 0.1));
  }

  @Test
  void factory() {
    assertInstanceOf(Sgd.class, Optimizers.create(OptimizerSettings.defaults("sgd")));
    Sgd sgd = (Sgd) Optimizers.create("sgd", 0.9, true, 0.9, 0.9, 0.999, 1e-7, 0.01);
    assertEquals(0.9, sgd.momentum());
    assertTrue(sgd.nesterov());
    assertEquals(0.01, sgd.weightDecay());
    RmsProp rms = (RmsProp) Optimizers.create(OptimizerSettings.defaults("rmsprop"));
    assertEquals(0.9, rms.rho());
    assertEquals(1e-7, rms.epsilon());
    Adam adam = (Adam) Optimizers.create(OptimizerSettings.defaults("adam").withWeightDecay(1e-4));
    assertEquals(0.999, adam.beta2());
    assertEquals(1e-4, adam.weightDecay());
    expect("sgd, rmsprop, adam", () -> Optimizers.create(OptimizerSettings.defaults("adagrad")));
    expect("nesterov", () -> Optimizers.create(OptimizerSettings.defaults("sgd").withMomentum(0, true)));
  }

  static void expect(String inMessage, Executable e) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
    assertTrue(ex.getMessage().contains(inMessage), "'" + ex.getMessage() + "' should mention " + inMessage);
  }
}
