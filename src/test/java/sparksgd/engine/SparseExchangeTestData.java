package sparksgd.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import sparksgd.data.Block;
import sparksgd.data.PartitionData;
import sparksgd.model.Precision;

/** Seeded CSR partitions for the sparse exchange tests. */
public final class SparseExchangeTestData {
  public static final int D = 3000;

  private SparseExchangeTestData() {}

  /** Two partitions of CSR rows ({@code nnz} random features, random values, 0/1 labels), blocks of 40. */
  public static List<PartitionData> sparseData(int[] rows, int nnz, boolean float32, long seed) {
    Random r = new Random(seed);
    List<PartitionData> out = new ArrayList<>();
    long id = 0;
    for (int p = 0; p < rows.length; p++) {
      List<Block> blocks = new ArrayList<>();
      for (int from = 0; from < rows[p]; from += 40) {
        int n = Math.min(40, rows[p] - from);
        int[] start = new int[n + 1];
        int[] col = new int[n * nnz];
        double[] x = new double[n * nnz];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
          int[] c = r.ints(0, D).distinct().limit(nnz).sorted().toArray();
          for (int j = 0; j < nnz; j++) {
            col[i * nnz + j] = c[j];
            x[i * nnz + j] = float32 ? (float) r.nextGaussian() : r.nextGaussian();
          }
          start[i + 1] = (i + 1) * nnz;
          y[i] = r.nextInt(2);
        }
        float[] xf = null;
        if (float32) {
          xf = new float[x.length];
          Precision.narrow(x, xf, x.length);
        }
        blocks.add(Block.csr(start, col, float32 ? null : x, xf, y, n, D, id));
        id += n;
      }
      out.add(new PartitionData(p, 40, new Block[][] {blocks.toArray(new Block[0]), new Block[0], new Block[0]}));
    }
    return out;
  }


  /** The same partitions with a random sample weight in (0, 2) on every row ({@code data.weight}). */
  public static List<PartitionData> weighted(List<PartitionData> data, long seed) {
    Random r = new Random(seed);
    List<PartitionData> out = new ArrayList<>();
    for (int p = 0; p < data.size(); p++) {
      Block[] train = data.get(p).blocks(sparksgd.data.Split.TRAIN);
      Block[] blocks = new Block[train.length];
      for (int b = 0; b < train.length; b++) {
        blocks[b] = train[b].withWeights(r.doubles(train[b].rows, 0.01, 2).toArray());
      }
      out.add(new PartitionData(p, 40, new Block[][] {blocks, new Block[0], new Block[0]}));
    }
    return out;
  }
}
