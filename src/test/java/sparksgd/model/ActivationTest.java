package sparksgd.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ActivationTest {

  @Test
  void valuesOnARange() {
    double[] a = {9, -2, 0, 3, 9};
    Activation.RELU.apply(a, 1, 4); // only [1, 4)
    assertArrayEquals(new double[] {9, 0, 0, 3, 9}, a);

    double[] t = {0.5, -1};
    Activation.TANH.apply(t, 0, 2);
    assertArrayEquals(new double[] {0.46211715726000974, -0.7615941559557649}, t, 1e-15);

    double[] s = {0, 2, -800, 800};
    Activation.SIGMOID.apply(s, 0, 4);
    // 1 / (1 + e^-2) = 0.8807970779778823; far tails saturate without NaN.
    assertArrayEquals(new double[] {0.5, 0.8807970779778823, 0, 1}, s, 1e-15);

    double[] id = {1.5, -2};
    Activation.IDENTITY.apply(id, 0, 2);
    assertArrayEquals(new double[] {1.5, -2}, id);
  }

  @Test
  void reluKeepsNaNVisible() {
    double[] a = {Double.NaN};
    Activation.RELU.apply(a, 0, 1);
    assertTrue(Double.isNaN(a[0]));
  }

  @ParameterizedTest
  @EnumSource(Activation.class)
  void derivativeFromOutputMatchesFiniteDifference(Activation f) {
    double[] xs = {-1.7, -0.3, 0.4, 2.2};
    for (double x : xs) {
      double h = 1e-6;
      double fd = (eval(f, x + h) - eval(f, x - h)) / (2 * h);
      double[] out = {eval(f, x)};
      double[] delta = {1.0};
      f.multiplyDerivative(out, 0, delta, 0, 1);
      assertEquals(fd, delta[0], 1e-8, f + " at " + x);
    }
  }

  private static double eval(Activation f, double x) {
    double[] a = {x};
    f.apply(a, 0, 1);
    return a[0];
  }

  @Test
  void parseByConfigName() {
    assertEquals(Activation.RELU, Activation.parse("relu"));
    assertEquals(Activation.TANH, Activation.parse(" Tanh "));
    assertEquals(Activation.SIGMOID, Activation.parse("sigmoid"));
    assertEquals(Activation.IDENTITY, Activation.parse("identity"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activation.parse("gelu"));
    assertTrue(e.getMessage().contains("relu, tanh, sigmoid, identity"), e.getMessage());
  }
}
