package sparksgd.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CvCurvesTest {
  @Test
  void emaMatchesAHandComputedSequence() {
    // skip 2; start at x[2] = 4; then 4*0.5 + 2*0.5 = 3; 3*0.5 + 5*0.5 = 4
    double[] s = CvCurves.ema(new double[] {10, 9, 4, 2, 5}, 0.5, 2);
    assertTrue(Double.isNaN(s[0]) && Double.isNaN(s[1]));
    assertArrayEquals(new double[] {4, 3, 4}, new double[] {s[2], s[3], s[4]}, 1e-15);
    // factor 0.9 as in the course: 1, then 1*0.9 + 2*0.1 = 1.1, then 1.1*0.9 + 0*0.1 = 0.99
    double[] t = CvCurves.ema(new double[] {1, 2, 0}, 0.9, 0);
    assertArrayEquals(new double[] {1, 1.1, 0.99}, t, 1e-12);
  }

  @Test
  void meanStdAndBestEpoch() {
    double[][] folds = {{5, 3, 2, 4}, {7, 5, 2, 6}};
    CvCurves c = CvCurves.of(folds, 0.0, 0); // factor 0: smoothed == mean
    assertArrayEquals(new double[] {6, 4, 2, 5}, c.mean(), 1e-15);
    assertArrayEquals(new double[] {1, 1, 0, 1}, c.std(), 1e-15);
    assertEquals(3, c.bestEpoch());
    assertEquals(2, c.bestScore(), 1e-15);
  }
}
