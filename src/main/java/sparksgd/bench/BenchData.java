package sparksgd.bench;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;
import sparksgd.data.Block;
import sparksgd.data.PartitionData;
import sparksgd.data.SplitRangePartitioner;
import sparksgd.data.TrainingDataLoader;
import sparksgd.data.SyntheticRows;
import sparksgd.model.Precision;

/**
 * The same seeded synthetic rows as our cached blocks and as MLlib's cached (label, vector) pairs,
 * generated once per benchmark part and materialized before anything is timed.
 */
final class BenchData {
  private BenchData() {}

  static JavaRDD<PartitionData> blocks(JavaSparkContext jsc, SyntheticRows gen, long rows, int partitions) {
    return blocks(jsc, gen, rows, partitions, Precision.FLOAT64);
  }

  /** The rows as training caches them at {@code precision} (float32: the nearest floats, half the bytes). */
  static JavaRDD<PartitionData> blocks(JavaSparkContext jsc, SyntheticRows gen, long rows, int partitions,
      Precision precision) {
    List<Integer> ps = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      ps.add(p);
    }
    int d = gen.features();
    JavaRDD<PartitionData> data = jsc.parallelize(ps, partitions).map(p -> {
      long first = SplitRangePartitioner.firstId(p, partitions, rows);
      long end = SplitRangePartitioner.firstId(p + 1, partitions, rows);
      int blockRows = TrainingDataLoader.blockRows(0, d); // as training caches them
      if (precision == Precision.FLOAT32) {
        blockRows *= TrainingDataLoader.float32Group(0, blockRows);
      }
      List<Block> blocks = new ArrayList<>();
      for (long start = first; start < end; start += blockRows) {
        int n = (int) Math.min(blockRows, end - start);
        double[] x = new double[n * d];
        double[] y = new double[n];
        for (int r = 0; r < n; r++) {
          double[] v = gen.row(start + r);
          System.arraycopy(v, 0, x, r * d, d);
          y[r] = v[d];
        }
        if (precision == Precision.FLOAT32) {
          float[] xf = new float[x.length];
          Precision.narrow(x, xf, x.length);
          blocks.add(Block.dense32(xf, y, n, d, start));
        } else {
          blocks.add(new Block(x, y, n, d, start));
        }
      }
      return new PartitionData(p, blockRows, new Block[][] {blocks.toArray(new Block[0]), new Block[0], new Block[0]});
    });
    data.persist(StorageLevel.MEMORY_ONLY());
    data.count();
    return data;
  }

  /** MLlib's input: (label, dense vector) pairs of the same rows; {@code binary} makes labels 0/1. */
  static JavaRDD<Tuple2<Object, Vector>> mllib(JavaSparkContext jsc, SyntheticRows gen, long rows, int partitions,
      boolean binary) {
    List<Long> ids = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      ids.add((long) p);
    }
    JavaRDD<Tuple2<Object, Vector>> data = jsc.parallelize(ids, partitions).flatMap(p -> {
      long first = SplitRangePartitioner.firstId(p.intValue(), partitions, rows);
      long end = SplitRangePartitioner.firstId(p.intValue() + 1, partitions, rows);
      List<Tuple2<Object, Vector>> out = new ArrayList<>();
      for (long i = first; i < end; i++) {
        double[] v = gen.row(i);
        double y = v[v.length - 1];
        out.add(new Tuple2<>(binary ? (y > 0 ? 1.0 : 0.0) : y, Vectors.dense(java.util.Arrays.copyOf(v, v.length - 1))));
      }
      return out.iterator();
    });
    data.persist(StorageLevel.MEMORY_ONLY());
    data.count();
    return data;
  }

  static long cachedBytes(JavaSparkContext jsc, JavaRDD<?> rdd) {
    for (org.apache.spark.storage.RDDInfo info : jsc.sc().getRDDStorageInfo()) {
      if (info.id() == rdd.id()) {
        return info.memSize() + info.diskSize();
      }
    }
    return -1;
  }
}
