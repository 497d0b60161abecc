package sparksgd.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchPlanTest {
  @Test
  void permutationIsABijectionForManySizes() {
    for (long n : new long[] {1, 2, 3, 5, 16, 17, 100, 404, 1000, 4097}) {
      EpochPermutation p = new EpochPermutation(n, 42, 3);
      boolean[] seen = new boolean[(int) n];
      for (long i = 0; i < n; i++) {
        long pos = p.position(i);
        assertTrue(pos >= 0 && pos < n);
        assertTrue(!seen[(int) pos], "position taken twice for n=" + n);
        seen[(int) pos] = true;
      }
    }
  }

  @Test
  void epochsAndSeedsGiveDifferentOrders() {
    EpochPermutation a = new EpochPermutation(1000, 42, 0);
    EpochPermutation b = new EpochPermutation(1000, 42, 1);
    EpochPermutation c = new EpochPermutation(1000, 43, 0);
    int sameAb = 0;
    int sameAc = 0;
    for (long i = 0; i < 1000; i++) {
      sameAb += a.position(i) == b.position(i) ? 1 : 0;
      sameAc += a.position(i) == c.position(i) ? 1 : 0;
    }
    assertTrue(sameAb < 20 && sameAc < 20);
    assertEquals(new EpochPermutation(1000, 42, 0).position(17), a.position(17));
  }

  private static Block[] blocks(long firstId, int rows, int blockRows) {
    List<Block> out = new ArrayList<>();
    for (int start = 0; start < rows; start += blockRows) {
      int n = Math.min(blockRows, rows - start);
      double[] x = new double[n];
      double[] y = new double[n];
      for (int r = 0; r < n; r++) {
        x[r] = firstId + start + r; // the feature is the row id, to see which rows were gathered
        y[r] = -(firstId + start + r);
      }
      out.add(new Block(x, y, n, 1, firstId + start));
    }
    return out.toArray(new Block[0]);
  }

  /** The set of row ids in each step, as gathered from partitions holding [0,n) split P ways. */
  private static List<Set<Long>> batches(int n, int batch, int partitions, int blockRows) {
    int steps = EpochPlan.stepsPerEpoch(n, batch);
    List<Set<Long>> out = new ArrayList<>();
    for (int s = 0; s < steps; s++) {
      out.add(new HashSet<>());
    }
    for (int p = 0; p < partitions; p++) {
      long first = SplitRangePartitioner.firstId(p, partitions, n);
      long end = SplitRangePartitioner.firstId(p + 1, partitions, n);
      Block[] bs = blocks(first, (int) (end - first), blockRows);
      EpochPlan plan = EpochPlan.build(bs, blockRows, n, batch, 7, 2);
      assertEquals(steps, plan.steps());
      for (int s = 0; s < steps; s++) {
        int k = plan.rowsInStep(s);
        double[] x = new double[k];
        double[] y = new double[k];
        plan.gather(bs, s, 0, k, x, y);
        for (int i = 0; i < k; i++) {
          assertEquals(0.0, x[i] + y[i]); // the label travelled with its row
          out.get(s).add((long) x[i]);
        }
      }
    }
    return out;
  }

  @Test
  void batchesAreTheSameWhateverThePartitioning() {
    List<Set<Long>> one = batches(103, 16, 1, 10);
    assertEquals(batches(103, 16, 3, 10), one);
    assertEquals(batches(103, 16, 2, 64), one);
    // Every step but the last has exactly the batch size; every row appears exactly once.
    Set<Long> all = new HashSet<>();
    for (int s = 0; s < one.size(); s++) {
      assertEquals(s < one.size() - 1 ? 16 : 103 - 16 * 6, one.get(s).size());
      all.addAll(one.get(s));
    }
    assertEquals(103, all.size());
    assertNotEquals(Set.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L), one.get(0));
  }

  @Test
  void fullBatchIsOneStep() {
    List<Set<Long>> b = batches(50, 64, 2, 8);
    assertEquals(1, b.size());
    assertEquals(50, b.get(0).size());
  }

  @Test
  void splitRuleIsSeededAndRoughlyProportional() {
    SplitRule rule = new SplitRule(42, 0.2, 0.1);
    int[] counts = new int[3];
    for (long i = 0; i < 10_000; i++) {
      counts[rule.assign(i).ordinal()]++;
      assertEquals(rule.assign(i), new SplitRule(42, 0.2, 0.1).assign(i));
    }
    assertEquals(7000, counts[Split.TRAIN.ordinal()], 300);
    assertEquals(1000, counts[Split.VALIDATION.ordinal()], 200);
    assertEquals(2000, counts[Split.TEST.ordinal()], 250);
  }
}
