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

  @Test
  void float32ReluDerivativeKeepsPositiveOutputsAndZeroesTheRest() {
    // ReLU outputs: +0, the smallest subnormal, a normal, the largest float, infinity, NaN (divergence).
    float[] out = {0f, Float.MIN_VALUE, 0.75f, Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NaN};
    float[] delta = {-3.5f, -2.25f, 1.5f, -0.125f, 7f, 1f};
    Activation.RELU.multiplyDerivative(out, 0, delta, 0, out.length);
    assertEquals(0f, delta[0], 0f, "dead unit: no gradient");
    assertEquals(-2.25f, delta[1], 0f, "the smallest positive output passes delta unchanged");
    assertEquals(1.5f, delta[2], 0f);
    assertEquals(-0.125f, delta[3], 0f);
    assertEquals(7f, delta[4], 0f);
    assertTrue(Float.isNaN(delta[5]), "a NaN output stays visible");
    // Against the float64 mask on random values, over a long array (the vectorized loop and its tail).
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
    int n = 1003;
    float[] y = new float[n];
    float[] d = new float[n];
    double[] y64 = new double[n];
    double[] d64 = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = Math.max(0f, (float) rnd.nextDouble(-1, 1));
      d[i] = (float) rnd.nextDouble(-1, 1);
      y64[i] = y[i];
      d64[i] = d[i];
    }
    Activation.RELU.multiplyDerivative(y, 0, d, 0, n);
    Activation.RELU.multiplyDerivative(y64, 0, d64, 0, n);
    for (int i = 0; i < n; i++) {
      assertEquals(d64[i], d[i], 0.0, "value " + i);
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
