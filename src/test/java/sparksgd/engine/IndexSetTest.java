package sparksgd.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class IndexSetTest {
  /** The features listed ascending, each column replaced by its rank, over many steps of one instance. */
  @Test
  void renumbersColumnsToTheirRankAmongTheStepsFeatures() {
    Random r = new Random(3);
    int inputs = 1000;
    IndexSet f = new IndexSet(inputs);
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
    IndexSet f = new IndexSet(70);
    assertThrows(IllegalArgumentException.class, () -> f.renumber(new int[] {3, 70}, 0, 2));
    assertThrows(IllegalArgumentException.class, () -> f.renumber(new int[] {-1}, 0, 1));
    int[] col = {69, 5, 69};
    assertEquals(2, f.renumber(col, 0, 3), "the refused step's feature 3 is not counted");
    assertArrayEquals(new int[] {1, 0, 1}, col);
  }

  /** As the driver's union of the partitions' indices: members ascending, ranks, and reuse after clear. */
  @Test
  void listsAUnionAscendingWithRanksAndStartsEmptyAfterClear() {
    Random r = new Random(8);
    IndexSet set = new IndexSet(5000);
    for (int use = 0; use < 20; use++) {
      TreeSet<Integer> expected = new TreeSet<>();
      for (int part = 0; part < 3; part++) {
        for (int i : r.ints(r.nextInt(400), 0, 5000).toArray()) {
          set.add(i);
          expected.add(i);
        }
      }
      if (use % 4 == 3) {
        set.clear(); // members added but never listed: still forgotten
        assertEquals(0, set.close());
        continue;
      }
      int n = set.close();
      int[] want = expected.stream().mapToInt(Integer::intValue).toArray();
      assertArrayEquals(want, Arrays.copyOf(set.sorted(), n), "use " + use);
      for (int k = 0; k < n; k++) {
        assertEquals(k, set.rank(want[k]));
      }
      set.clear();
    }
  }
}
