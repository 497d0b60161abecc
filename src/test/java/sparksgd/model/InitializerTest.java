package sparksgd.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InitializerTest {
  private static final int FAN_IN = 200;
  private static final int FAN_OUT = 300;

  @ParameterizedTest
  @EnumSource(Initializer.class)
  void sameSeedSameValuesOtherSeedOtherValues(Initializer init) {
    double[] a = sample(init, 42, 1);
    assertArrayEquals(a, sample(init, 42, 1), 0.0);
    assertFalse(Arrays.equals(a, sample(init, 43, 1)));
    assertFalse(Arrays.equals(a, sample(init, 42, 2)));
  }

  @Test
  void glorotUniformBoundsAndVariance() {
    double limit = Math.sqrt(6.0 / (FAN_IN + FAN_OUT));
    double[] w = sample(Initializer.GLOROT_UNIFORM, 7, 1);
    // U(-l, l) has variance l^2 / 3 = 2 / (fan_in + fan_out).
    checkMoments(w, limit, 2.0 / (FAN_IN + FAN_OUT));
    assertTrue(max(w) > 0.99 * limit, "should reach near the limit");
  }

  @Test
  void heUniformBoundsAndVariance() {
    double limit = Math.sqrt(6.0 / FAN_IN);
    checkMoments(sample(Initializer.HE_UNIFORM, 7, 1), limit, 2.0 / FAN_IN);
  }

  @Test
  void heNormalIsTruncatedWithVarianceTwoOverFanIn() {
    // Truncated at two pre-truncation standard deviations, sqrt(2 / fan_in) / 0.8796...
    double bound = 2 * Math.sqrt(2.0 / FAN_IN) / 0.87962566103423978;
    checkMoments(sample(Initializer.HE_NORMAL, 7, 1), bound, 2.0 / FAN_IN);
  }

  @Test
  void layersAreSeededIndependentlyOfOtherLayers() {
    // W2 has the same shape (8 x 8) in both nets and the same (seed, layer): same values.
    Mlp a = new Mlp(4, new int[] {8, 8}, new Activation[] {Activation.RELU, Activation.RELU}, 1,
        Initializer.GLOROT_UNIFORM);
    Mlp b = new Mlp(5, new int[] {8, 8}, new Activation[] {Activation.RELU, Activation.RELU}, 1,
        Initializer.GLOROT_UNIFORM);
    double[] pa = new double[a.numParams()];
    double[] pb = new double[b.numParams()];
    a.init(pa, 5);
    b.init(pb, 5);
    ParamLayout.Tensor wa = a.layout().tensors().get(2);
    ParamLayout.Tensor wb = b.layout().tensors().get(2);
    assertEquals("W2", wa.name());
    assertArrayEquals(Arrays.copyOfRange(pa, wa.offset(), wa.offset() + 64),
        Arrays.copyOfRange(pb, wb.offset(), wb.offset() + 64), 0.0);
  }

  @Test
  void parseByConfigName() {
    assertEquals(Initializer.GLOROT_UNIFORM, Initializer.parse("glorot-uniform"));
    assertEquals(Initializer.HE_NORMAL, Initializer.parse("he-normal"));
    assertEquals(Initializer.HE_UNIFORM, Initializer.parse("he-uniform"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Initializer.parse("zeros"));
    assertTrue(e.getMessage().contains("glorot-uniform, he-normal, he-uniform"), e.getMessage());
  }

  private static double[] sample(Initializer init, long seed, int layer) {
    double[] w = new double[FAN_IN * FAN_OUT];
    init.fill(w, 0, FAN_IN, FAN_OUT, seed, layer);
    return w;
  }

  /** All |w| within the bound; mean ~ 0 and variance within 3% (60,000 draws: about 0.6% standard error). */
  private static void checkMoments(double[] w, double bound, double variance) {
    double sum = 0;
    double sq = 0;
    for (double v : w) {
      assertTrue(Math.abs(v) <= bound, v + " outside " + bound);
      sum += v;
      sq += v * v;
    }
    double mean = sum / w.length;
    double var = sq / w.length - mean * mean;
    assertEquals(0.0, mean, 4 * Math.sqrt(variance / w.length));
    assertEquals(variance, var, 0.03 * variance);
  }

  private static double max(double[] w) {
    return Arrays.stream(w).max().orElseThrow();
  }
}
