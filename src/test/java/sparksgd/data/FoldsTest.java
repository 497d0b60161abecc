package sparksgd.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FoldsTest {
  @Test
  void everyRowIsInExactlyOneFoldAndFoldSizesDifferByAtMostOne() {
    for (boolean shuffle : new boolean[] {false, true}) {
      for (int n : new int[] {4, 7, 101, 404}) {
        Folds f = new Folds(n, 4, 42, shuffle);
        int[] sizes = new int[4];
        for (long id = 0; id < n; id++) {
          int fold = f.foldOf(id);
          sizes[fold]++;
          int holding = 0;
          for (int k = 0; k < 4; k++) {
            RowView v = f.view(k);
            boolean out = v.holdsOut(id);
            holding += out ? 1 : 0;
            assertEquals(out, v.trainId(id) < 0, "a row is either trained on or held out");
            assertEquals(out, k == fold);
          }
          assertEquals(1, holding);
        }
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int s : sizes) {
          min = Math.min(min, s);
          max = Math.max(max, s);
        }
        assertTrue(max - min <= 1, "balanced folds");
      }
    }
  }

  @Test
  void trainIdsOfAFoldAreDenseAndDistinct() {
    Folds f = new Folds(101, 4, 9, true);
    for (int k = 0; k < 4; k++) {
      RowView v = f.view(k);
      boolean[] seen = new boolean[(int) v.trainRows()];
      for (long id = 0; id < 101; id++) {
        long t = v.trainId(id);
        if (t >= 0) {
          assertTrue(!seen[(int) t]);
          seen[(int) t] = true;
        }
      }
      for (boolean s : seen) {
        assertTrue(s);
      }
    }
  }

  @Test
  void contiguousFoldsFollowInputOrderAndShuffledOnesAreSeedStable() {
    Folds contiguous = new Folds(8, 4, 1, false);
    int[] expected = {0, 0, 1, 1, 2, 2, 3, 3};
    for (int id = 0; id < 8; id++) {
      assertEquals(expected[id], contiguous.foldOf(id));
    }
    int[] a = new int[200];
    int[] b = new int[200];
    int[] c = new int[200];
    for (int id = 0; id < 200; id++) {
      a[id] = new Folds(200, 5, 3, true).foldOf(id);
      b[id] = new Folds(200, 5, 3, true).foldOf(id);
      c[id] = new Folds(200, 5, 4, true).foldOf(id);
    }
    assertArrayEquals(a, b);
    assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(c));
  }

  @Test
  void foldCountMustFitTheRows() {
    assertThrows(IllegalArgumentException.class, () -> new Folds(3, 4, 1, true));
    assertThrows(IllegalArgumentException.class, () -> new Folds(10, 1, 1, true));
  }
}
