package sparksgd.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import sparksgd.job.DataSpec.Normalization;

/** {@code data.normalize = maxabs}: x / max|x| per column, never shifted (MLlib's MaxAbsScaler). */
class MaxAbsScalingTest {
  private static FeatureStats stats(boolean normalizeLabel, boolean centered) {
    // columns: a in [-4, 2], b in [0, 5], constant c = 0, label y in [-10, 30]
    double[] mean = {-1, 2, 0, 7};
    double[] std = {2, 1, 0, 9};
    double[] min = {-4, 0, 0, -10};
    double[] max = {2, 5, 0, 30};
    return new FeatureStats(List.of("a", "b", "c", "y"), 10, mean, std, min, max, Normalization.MAXABS,
        normalizeLabel, centered);
  }

  @Test
  void dividesByTheLargestAbsoluteValueAndNeverShifts() {
    double[] row = {-2, 5, 0, 12};
    stats(false, true).apply(row);
    assertArrayEquals(new double[] {-0.5, 1.0, 0.0, 12}, row, 0.0); // label untouched without normalize-label
    double[] labelled = {2, 0, 0, -15};
    stats(true, false).apply(labelled);
    assertArrayEquals(new double[] {0.5, 0.0, 0.0, -0.5}, labelled, 0.0);
  }

  @Test
  void aZeroColumnIsLeftAsItIsAndTheRuleRoundTripsThroughStatsJson() {
    FeatureStats s = stats(false, false);
    assertEquals(1.0, s.scale(2));
    assertEquals(0.0, s.shift(0));
    FeatureStats back = FeatureStats.fromJson(s.toJson());
    assertEquals(Normalization.MAXABS, back.normalization());
    assertEquals(4.0, back.scale(0));
    assertEquals("maxabs", Normalization.parse("maxabs").configName);
  }
}
