package sparksgd.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The sparse-logistic generator: a pure function of (seed, row), K distinct ascending features, LibSVM it can read. */
class SparseLogisticRowsTest {
  @Test
  void rowsAreSeededDistinctAscendingAndReadableAsSparseLibSvm() {
    SparseLogisticRows gen = new SparseLogisticRows(7, 1 << 20, 40);
    LibSvmFormat sparse = new LibSvmFormat(new String[] {"gen"}, 1 << 20, true);
    int ones = 0;
    for (long id = 0; id < 300; id++) {
      int[] c = gen.columns(id);
      assertEquals(40, c.length);
      for (int k = 1; k < c.length; k++) {
        assertTrue(c[k] > c[k - 1], "ascending and distinct");
      }
      assertArrayEquals(c, new SparseLogisticRows(7, 1 << 20, 40).columns(id), "a pure function of seed and row");
      double[] v = sparse.parse(new SourceLine(0, id + 1, gen.libsvm(id)));
      assertEquals(2 * 40 + 1, v.length);
      for (int k = 0; k < 40; k++) {
        assertEquals(c[k], (int) v[2 * k]);
        assertEquals(1.0, v[2 * k + 1]);
      }
      ones += (int) v[80];
    }
    assertTrue(ones > 60 && ones < 240, "both labels occur: " + ones + " of 300");
    assertThrows(IllegalArgumentException.class, () -> new SparseLogisticRows(1, 10, 11));
  }
}
