package sparksgd.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import sparksgd.job.DataSpec.Normalization;
import sparksgd.model.Precision;

/** Float32 blocks that join raw blocks hold the same rows, and every plan gathers the same batches from them. */
class Float32BlockGroupTest {
  private static final int D = 5;
  private static final int BLOCK_ROWS = 7;

  @Test
  void joinedFloat32BlocksHoldTheSameRowsAndGatherTheSameBatches() {
    PartitionData raw = raw(new int[] {7, 7, 7, 7, 3}, true); // a split of 31 rows: blocks of 7 and a tail
    FeatureStats stats = stats();
    PartitionData single = BlockBuilder.normalized(raw, stats, Precision.FLOAT32, 1);
    PartitionData joined = BlockBuilder.normalized(raw, stats, Precision.FLOAT32, 2);
    Block[] a = single.blocks(Split.TRAIN);
    Block[] b = joined.blocks(Split.TRAIN);
    assertEquals(5, a.length);
    assertEquals(3, b.length);
    assertEquals(2 * BLOCK_ROWS, joined.blockRows);
    assertArrayEquals(new int[] {14, 14, 3}, Arrays.stream(b).mapToInt(x -> x.rows).toArray());
    assertArrayEquals(concatFloats(a), concatFloats(b));
    assertArrayEquals(concat(a, true), concat(b, true));
    assertArrayEquals(concat(a, false), concat(b, false));
    assertEquals(a[2].firstId, b[1].firstId);
    for (int epoch = 0; epoch < 3; epoch++) {
      EpochPlan pa = single.plan(31, 4, 42, epoch);
      EpochPlan pb = joined.plan(31, 4, 42, epoch);
      assertEquals(pa.steps(), pb.steps());
      for (int s = 0; s < pa.steps(); s++) {
        int n = pa.rowsInStep(s);
        float[] xa = new float[n * D];
        float[] xb = new float[n * D];
        double[] ya = new double[n];
        double[] yb = new double[n];
        pa.gather(a, s, 0, n, xa, ya);
        pb.gather(b, s, 0, n, xb, yb);
        assertArrayEquals(xa, xb, "epoch " + epoch + " step " + s);
        assertArrayEquals(ya, yb);
      }
    }
  }

  @Test
  void float64AndSparseBlocksAreNeverJoined() {
    PartitionData raw = raw(new int[] {7, 7, 2}, false);
    PartitionData f64 = BlockBuilder.normalized(raw, stats(), Precision.FLOAT64, 2);
    assertEquals(3, f64.blocks(Split.TRAIN).length);
    assertEquals(BLOCK_ROWS, f64.blockRows);
    assertNull(f64.blocks(Split.TRAIN)[0].w);
  }

  @Test
  void theGroupRuleKeepsConfiguredSizesAndTheRowCap() {
    assertEquals(2, TrainingDataLoader.float32Group(0, TrainingDataLoader.blockRows(0, 32)));
    assertEquals(1, TrainingDataLoader.float32Group(0, TrainingDataLoader.blockRows(0, 13))); // 2,520 rows: would pass 4,096
    assertEquals(1, TrainingDataLoader.float32Group(1024, 1024)); // a configured size is kept as given
  }

  private static PartitionData raw(int[] rows, boolean weighted) {
    Random r = new Random(7);
    List<Block> blocks = new ArrayList<>();
    long id = 0;
    for (int n : rows) {
      double[] x = new double[n * D];
      double[] y = new double[n];
      double[] w = new double[n];
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextGaussian() * 3 + 1;
      }
      for (int i = 0; i < n; i++) {
        y[i] = r.nextGaussian();
        w[i] = 1 + r.nextInt(3);
      }
      Block b = new Block(x, y, n, D, id);
      blocks.add(weighted ? b.withWeights(w) : b);
      id += n;
    }
    return new PartitionData(0, BLOCK_ROWS, new Block[][] {blocks.toArray(new Block[0]), new Block[0], new Block[0]});
  }

  private static FeatureStats stats() {
    double[] mean = {1, 2, 0.5, -1, 0, 0.25};
    double[] std = {3, 1, 2, 0.5, 1, 2};
    double[] min = new double[D + 1];
    double[] max = new double[D + 1];
    Arrays.fill(max, 1);
    return new FeatureStats(List.of("a", "b", "c", "d", "e", "y"), 31, mean, std, min, max, Normalization.STANDARD,
        true);
  }

  private static float[] concatFloats(Block[] bs) {
    int n = Arrays.stream(bs).mapToInt(b -> b.xf.length).sum();
    float[] out = new float[n];
    int o = 0;
    for (Block b : bs) {
      System.arraycopy(b.xf, 0, out, o, b.xf.length);
      o += b.xf.length;
    }
    return out;
  }

  private static double[] concat(Block[] bs, boolean labels) {
    return Arrays.stream(bs).flatMapToDouble(b -> Arrays.stream(labels ? b.y : b.w)).toArray();
  }
}
