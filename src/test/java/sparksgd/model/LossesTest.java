package sparksgd.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LossesTest {

  @Test
  void mseSumsSquaredErrorsOverOutputs() {
    // rows (z, y): (1, 2 | 0.5, 3) and (0, 0 | 1, -1): 0.25 + 1 + 1 + 1 = 3.25
    double[] z = {9, 1, 2, 0, 0};
    double[] y = {0.5, 3, 1, -1};
    double[] delta = new double[4];
    assertEquals(3.25, Losses.MSE.lossAndDelta(z, 1, y, 0, 2, 2, 2, delta), 1e-15);
    assertArrayEquals(new double[] {1, -2, -2, 2}, delta, 1e-15);
    assertEquals(3.25, Losses.MSE.loss(z, 1, y, 0, 2, 2, 2), 1e-15);
  }

  @Test
  void bceFromLogitsIsStable() {
    // z = 0: -log(1/2) = log 2 for either label; delta = 1/2 - y.
    // z = 100, y = 0: -log(1 - s(100)) = 100 + log1p(e^-100) ~ 100 (a naive form gives log(0) = -inf).
    // z = -800, y = 1: -log s(-800) = 800.
    double[] z = {0, 0, 100, -800};
    double[] y = {1, 0, 0, 1};
    double[] delta = new double[4];
    double loss = Losses.BCE.lossAndDelta(z, 0, y, 0, 4, 1, 1, delta);
    assertEquals(2 * Math.log(2) + 100 + 800, loss, 1e-12);
    assertArrayEquals(new double[] {-0.5, 0.5, 1, -1}, delta, 1e-15);
    // z = 2, y = 1: log(1 + e^-2) = 0.12692801104297263
    assertEquals(0.12692801104297263, Losses.BCE.loss(new double[] {2}, 0, new double[] {1}, 0, 1, 1, 1), 1e-15);
  }

  @Test
  void softmaxWithIndexLabels() {
    // z = (0, 0, 0), class 2: log 3; delta (1/3, 1/3, -2/3).
    // z = (1000, 0, -1000): class 0 ~ 0, class 1 ~ 1000 (overflows without the max shift).
    double[] z = {0, 0, 0, 1000, 0, -1000, 1000, 0, -1000};
    double[] y = {2, 0, 1};
    double[] delta = new double[9];
    double loss = Losses.SOFTMAX.lossAndDelta(z, 0, y, 0, 3, 3, 1, delta);
    assertEquals(Math.log(3) + 0 + 1000, loss, 1e-12);
    assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, -2.0 / 3, 0, 0, 0, 1, -1, 0}, delta, 1e-15);
  }

  @Test
  void softmaxWithOneHotLabels() {
    // z = (ln 1, ln 2, ln 5) gives probabilities (1/8, 2/8, 5/8); class 1: -log(1/4) = log 4.
    double[] z = {0, Math.log(2), Math.log(5)};
    double[] delta = new double[3];
    double loss = Losses.SOFTMAX.lossAndDelta(z, 0, new double[] {0, 1, 0}, 0, 1, 3, 3, delta);
    assertEquals(Math.log(4), loss, 1e-15);
    assertArrayEquals(new double[] {0.125, 0.25 - 1, 0.625}, delta, 1e-15);
    assertEquals(Math.log(4), Losses.SOFTMAX.loss(z, 0, new double[] {1}, 0, 1, 3, 1), 1e-15);
  }

  @Test
  void outputFunctions() {
    double[] p = {0, Math.log(2), Math.log(5)};
    Losses.SOFTMAX.outputFunction(p, 0, 1, 3);
    assertArrayEquals(new double[] {0.125, 0.25, 0.625}, p, 1e-15);
    double[] s = {0, 2};
    Losses.BCE.outputFunction(s, 0, 2, 1);
    assertArrayEquals(new double[] {0.5, 0.8807970779778823}, s, 1e-15);
    double[] m = {3, -4};
    Losses.MSE.outputFunction(m, 0, 1, 2);
    assertArrayEquals(new double[] {3, -4}, m);
  }

  @Test
  void badLabelsAndWidthsAreRejected() {
    double[] z = new double[3];
    assertThrows(IllegalArgumentException.class, () -> Losses.SOFTMAX.loss(z, 0, new double[] {3}, 0, 1, 3, 1));
    assertThrows(IllegalArgumentException.class, () -> Losses.SOFTMAX.loss(z, 0, new double[] {0.5}, 0, 1, 3, 1));
    assertThrows(IllegalArgumentException.class, () -> Losses.SOFTMAX.loss(z, 0, new double[2], 0, 1, 3, 2));
    assertThrows(IllegalArgumentException.class, () -> Losses.MSE.loss(z, 0, new double[1], 0, 1, 3, 1));
  }

  @Test
  void parseByName() {
    assertSame(Losses.MSE, Losses.parse("mse"));
    assertSame(Losses.BCE, Losses.parse("BCE"));
    assertSame(Losses.SOFTMAX, Losses.parse("softmax"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Losses.parse("hinge"));
    assertTrue(e.getMessage().contains("mse, bce, softmax"));
  }
}
