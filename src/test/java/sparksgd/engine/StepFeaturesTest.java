package sparksgd.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class StepFeaturesTest {
  /** The features listed ascending, each column replaced by its rank, over many steps of one instance. */
  @Test
  void renumbersColumnsToTheirRankAmongTheStepsFeatures() {
    Random r = new Random(3);
    int inputs = 1000;
    StepFeatures f = new StepFeatures(inputs);
    for (int step = 0; step < 50; step++) {
      int[] col = r.ints(r.nextInt(300), 0, step % 5 == 0 ? 64 : inputs).toArray(); // repeats, any order
      int from = col.length == 0 ? 0 : r.nextInt(col.length);
      int[] before = col.clone();
      TreeSet<Integer> distinct = new TreeSet<>();
      for (int i = from; i < col.length; i++) {
        distinct.add(col[i]);
      }
      int n = f.renumber(col, from, col.length);
      int[] expected = distinct.stream().mapToInt(Integer::intValue).toArray();
      assertEquals(expected.length, n, "step " + step);
      assertArrayEquals(expected, Arrays.copyOf(f.sorted(), n), "step " + step);
      for (int i = 0; i < col.length; i++) {
        int want = i < from ? before[i] : Arrays.binarySearch(expected, before[i]);
        assertEquals(want, col[i], "step " + step + " entry " + i);
      }
    }
  }

  @Test
  void refusesAnIndexOutsideTheModelAndForgetsThatStep() {
    StepFeatures f = new StepFeatures(70);
    assertThrows(IllegalArgumentException.class, () -> f.renumber(new int[] {3, 70}, 0, 2));
    assertThrows(IllegalArgumentException.class, () -> f.renumber(new int[] {-1}, 0, 1));
    int[] col = {69, 5, 69};
    assertEquals(2, f.renumber(col, 0, 3), "the refused step's feature 3 is not counted");
    assertArrayEquals(new int[] {1, 0, 1}, col);
  }
}
