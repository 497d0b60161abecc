package sparksgd.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import sparksgd.train.CvCurves;

class SmoothingTest {

  @Test
  void matchesHandComputedSequenceWithSkip() {
    // skip 2: s[2] = 6; s[3] = 6*.5 + 4*.5 = 5; s[4] = 5*.5 + 2*.5 = 3.5; s[5] = 3.5*.5 + 1*.5 = 2.25
    double[] s = Smoothing.ema(new double[] {10, 8, 6, 4, 2, 1}, 0.5, 2);
    assertTrue(Double.isNaN(s[0]));
    assertTrue(Double.isNaN(s[1]));
    assertArrayEquals(new double[] {6, 5, 3.5, 2.25}, java.util.Arrays.copyOfRange(s, 2, 6), 1e-12);
  }

  @Test
  void matchesHandComputedSequenceCourseFactor() {
    // factor 0.9, no skip: 1; 1*.9 + 2*.1 = 1.1; 1.1*.9 + 3*.1 = 1.29; 1.29*.9 + 0*.1 = 1.161
    assertArrayEquals(new double[] {1, 1.1, 1.29, 1.161}, Smoothing.ema(new double[] {1, 2, 3, 0}, 0.9, 0), 1e-12);
  }

  @Test
  void factorZeroIsIdentityAfterTheSkip() {
    double[] s = Smoothing.ema(new double[] {3, 1, 4, 1, 5}, 0, 1);
    assertArrayEquals(new double[] {1, 4, 1, 5}, java.util.Arrays.copyOfRange(s, 1, 5), 0);
  }

  @Test
  void skippingEverythingGivesAllNaNAndEffectiveSkipFallsBackToZero() {
    double[] s = Smoothing.ema(new double[] {1, 2, 3}, 0.9, 3);
    for (double v : s) {
      assertTrue(Double.isNaN(v));
    }
    assertEquals(0, Smoothing.effectiveSkip(10, 5));
    assertEquals(10, Smoothing.effectiveSkip(10, 11));
    assertEquals(0, Smoothing.ema(new double[0], 0.9, 10).length);
  }

  @Test
  void agreesWithTheTrainersCvSmoothing() {
    Random r = new Random(3);
    double[] x = new double[200];
    for (int i = 0; i < x.length; i++) {
      x[i] = 5 * Math.exp(-i / 20.0) + r.nextGaussian();
    }
    assertArrayEquals(CvCurves.ema(x, 0.9, 10), Smoothing.ema(x, 0.9, 10), 0);
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> Smoothing.ema(new double[] {1}, 1.0, 0));
    assertThrows(IllegalArgumentException.class, () -> Smoothing.ema(new double[] {1}, -0.1, 0));
    assertThrows(IllegalArgumentException.class, () -> Smoothing.ema(new double[] {1}, Double.NaN, 0));
    assertThrows(IllegalArgumentException.class, () -> Smoothing.ema(new double[] {1}, 0.5, -1));
  }
}
