package sparksgd.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.job.JobLoader;
import sparksgd.job.JobSpec;
import sparksgd.model.Precision;
import sparksgd.testing.SparkTest;
import sparksgd.train.TrainingRun;

/**
 * LibSVM kept sparse end to end: CSR blocks, the same model as the dense representation of the same rows,
 * bit-identical engines, float32, the automatic choice, and bad indices named by file, line and column.
 */
@SparkTest
class SparseTrainingTest {
  static SparkSession spark;
  static JavaSparkContext jsc;
  @TempDir
  static Path dir;
  static Path file;

  @BeforeAll
  static void start() throws IOException {
    SparseLogisticRows gen = new SparseLogisticRows(3, 2000, 12);
    List<String> lines = new ArrayList<>();
    for (long i = 0; i < 700; i++) {
      lines.add(gen.libsvm(i));
    }
    file = dir.resolve("sparse.libsvm");
    Files.write(file, lines);
  }

  static JobSpec job(String... more) {
    List<String> sets = new ArrayList<>(List.of("data.train=\"" + file + "\"", "data.format=libsvm", "data.label=label",
        "data.num-features=2000", "model.loss=bce", "optimizer.type=sgd", "optimizer.learning-rate=0.5",
        "training.epochs=3", "training.batch-size=64"));
    sets.addAll(List.of(more));
    return JobLoader.load("", "sparse.conf", sets);
  }

  static TrainingRun.Result train(JobSpec job, boolean[] sparseSeen, long[] bytes) {
    try (TrainingData data = TrainingDataLoader.forJob(jsc, job, sparksgd.data.CachedRows.NORMALIZED)) {
      Block b = data.partitions.first().blocks(Split.TRAIN)[0];
      sparseSeen[0] = b.sparse();
      assertEquals(b.sparse(), data.sparse(), "TrainingData.sparse() (what the exchange choice reads) tells CSR blocks");
      bytes[0] = data.cachedBytes;
      return TrainingRun.run(jsc, job, data, List.of());
    }
  }

  @Test
  void sparseAndDenseRepresentationsGiveTheSameModel() {
    boolean[] s = new boolean[1];
    long[] sparseBytes = new long[1];
    long[] denseBytes = new long[1];
    TrainingRun.Result sparse = train(job("data.representation=sparse", "data.normalize=none"), s, sparseBytes);
    assertTrue(s[0], "CSR blocks");
    TrainingRun.Result dense = train(job("data.representation=dense", "data.normalize=none"), s, denseBytes);
    assertTrue(!s[0], "dense blocks");
    double err = 0;
    double norm = 0;
    for (int i = 0; i < dense.params().length; i++) {
      err = Math.max(err, Math.abs(dense.params()[i] - sparse.params()[i]));
      norm = Math.max(norm, Math.abs(dense.params()[i]));
    }
    assertTrue(norm > 0.01 && err <= 1e-9 * norm, "sparse vs dense parameters: relative " + err / norm);
    assertEquals(dense.test().get("accuracy"), sparse.test().get("accuracy"));
    double first = sparse.history().get(0).trainLoss();
    double last = sparse.history().get(sparse.history().size() - 1).trainLoss();
    assertTrue(last < first, "training lowers the loss: " + first + " -> " + last);
    // 12 nonzeros of 2,000 features: (12 x 12 bytes + 4 + 8) per row against 2,000 x 8 + 8.
    assertTrue(sparseBytes[0] * 50 < denseBytes[0], sparseBytes[0] + " vs " + denseBytes[0]);
  }

  @Test
  void parquetSparseVectorsStaySparseAndTrainAsTheLibsvmRowsDo() {
    // the same rows as a Parquet file of (label, features: SparseVector), in the same order
    Path parquet = dir.resolve("sparse.parquet");
    spark.read().format("libsvm").option("numFeatures", "2000").load(file.toString()).coalesce(1)
        .write().parquet(parquet.toString());
    boolean[] s = new boolean[1];
    long[] bytes = new long[1];
    TrainingRun.Result fromLibsvm = train(job("data.representation=sparse", "data.normalize=none"), s, bytes);
    List<String> sets = new ArrayList<>(List.of("data.train=\"" + parquet + "\"", "data.format=parquet",
        "data.label=label", "data.features=[features]", "data.normalize=none", "model.loss=bce", "optimizer.type=sgd",
        "optimizer.learning-rate=0.5", "training.epochs=3", "training.batch-size=64"));
    TrainingRun.Result fromParquet = train(JobLoader.load("", "sparse-parquet.conf", sets), s, bytes);
    assertTrue(s[0], "auto keeps 12-of-2,000 SparseVectors sparse: CSR blocks");
    assertEquals(fromLibsvm.params().length, fromParquet.params().length);
    for (int i = 0; i < fromLibsvm.params().length; i++) {
      assertEquals(Double.doubleToRawLongBits(fromLibsvm.params()[i]), Double.doubleToRawLongBits(fromParquet.params()[i]),
          "parameter " + i);
    }
  }

  @Test
  void aSparseVectorOfTheWrongSizeIsNamedByRowAndColumn() {
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("label", org.apache.spark.sql.types.DataTypes.DoubleType)
        .add("features", new org.apache.spark.ml.linalg.VectorUDT());
    List<org.apache.spark.sql.Row> rows = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      int size = i == 17 ? 1999 : 2000; // the 18th row is one slot short
      rows.add(org.apache.spark.sql.RowFactory.create((double) (i % 2),
          org.apache.spark.ml.linalg.Vectors.sparse(size, new int[] {i, 1000 + i}, new double[] {1, 2})));
    }
    Path parquet = dir.resolve("bad-width.parquet");
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(parquet.toString());
    List<String> sets = List.of("data.train=\"" + parquet + "\"", "data.format=parquet", "data.label=label",
        "data.features=[features]", "model.loss=bce");
    DataException e = assertThrows(DataException.class,
        () -> TrainingDataLoader.forJob(jsc, JobLoader.load("", "bad.conf", sets), sparksgd.data.CachedRows.NORMALIZED).close());
    assertTrue(e.getMessage().contains("18") && e.getMessage().contains("features")
        && e.getMessage().contains("size 1999"), e.getMessage());
  }

  @Test
  void float32SparseTrainsLikeFloat32DenseOnTheSameRows() {
    boolean[] s = new boolean[1];
    long[] sparseBytes = new long[1];
    long[] denseBytes = new long[1];
    TrainingRun.Result sparse = train(job("data.representation=sparse", "data.normalize=none",
        "training.precision=float32"), s, sparseBytes);
    assertTrue(s[0], "CSR blocks");
    TrainingRun.Result dense = train(job("data.representation=dense", "data.normalize=none",
        "training.precision=float32"), s, denseBytes);
    assertTrue(!s[0], "dense blocks");
    assertTrue(Precision.FLOAT32.holds(sparse.params()) && Precision.FLOAT32.holds(dense.params()));
    // Both are float32 sums of the same products in different orders (the CSR kernel adds a row's nonzeros,
    // sgemm all 2,000 columns, zeros included), so they agree to float rounding, not bit for bit.
    double err = 0;
    double norm = 0;
    for (int i = 0; i < dense.params().length; i++) {
      err = Math.max(err, Math.abs(dense.params()[i] - sparse.params()[i]));
      norm = Math.max(norm, Math.abs(dense.params()[i]));
    }
    assertTrue(norm > 0.01 && err <= 1e-5 * norm, "sparse vs dense float32 parameters: relative " + err / norm);
    for (int e = 0; e < dense.history().size(); e++) {
      double d = dense.history().get(e).trainLoss();
      assertEquals(d, sparse.history().get(e).trainLoss(), 1e-5 * d, "epoch " + (e + 1) + " training loss");
    }
    double first = sparse.history().get(0).trainLoss();
    double last = sparse.history().get(sparse.history().size() - 1).trainLoss();
    assertTrue(last < first, "training lowers the loss: " + first + " -> " + last);
    // float32 CSR: (12 x 8 bytes + 4 + 8) per row; float32 dense: 2,000 x 4 + 8.
    assertTrue(sparseBytes[0] * 50 < denseBytes[0], sparseBytes[0] + " vs " + denseBytes[0]);
  }

  @Test
  void enginesAreBitIdenticalOnSparseDataInBothPrecisions() {
    for (String precision : List.of("float64", "float32")) {
      boolean[] s = new boolean[1];
      long[] b = new long[1];
      TrainingRun.Result gang = train(job("training.engine=gang", "training.precision=" + precision), s, b);
      assertTrue(s[0], "auto chooses sparse for 2,000 features");
      TrainingRun.Result jobs = train(job("training.engine=jobs", "training.precision=" + precision), s, b);
      assertEquals(gang.params().length, jobs.params().length);
      for (int i = 0; i < gang.params().length; i++) {
        assertEquals(Double.doubleToRawLongBits(gang.params()[i]), Double.doubleToRawLongBits(jobs.params()[i]),
            precision + " parameter " + i);
      }
      if (precision.equals("float32")) {
        assertTrue(Precision.FLOAT32.holds(gang.params()));
      }
    }
  }

  @Test
  void badIndicesNameFileLineAndColumn() throws IOException {
    Path bad = dir.resolve("bad.libsvm");
    Files.write(bad, List.of("1 3:1 7:2", "0 4:1 4:1"));
    DataException e = assertThrows(DataException.class, () -> TrainingDataLoader.forJob(jsc,
        JobLoader.load("", "bad.conf", List.of("data.train=\"" + bad + "\"", "data.format=libsvm", "data.label=label",
            "data.num-features=10", "data.representation=sparse", "data.test-fraction=0")), CachedRows.NORMALIZED));
    assertTrue(e.getMessage().contains("bad.libsvm") && e.getMessage().contains("2") && e.getMessage().contains("f4")
        && e.getMessage().contains("repeated"), e.getMessage());
  }
}
