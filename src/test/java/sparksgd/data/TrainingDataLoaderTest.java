package sparksgd.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.job.DataSpec;
import sparksgd.job.JobLoader;
import sparksgd.testing.SparkTest;

@SparkTest
class TrainingDataLoaderTest {
  static SparkSession spark;
  static JavaSparkContext jsc;
  @TempDir
  static Path dir;

  static DataSpec spec(String train, String... sets) {
    List<String> all = new ArrayList<>(List.of("data.train=\"" + train + "\"", "data.label=y"));
    all.addAll(List.of(sets));
    return JobLoader.load("", "t.conf", all).data();
  }

  static Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, text.getBytes(StandardCharsets.ISO_8859_1));
    return p;
  }

  /** All rows of a split, in id order, as [features..., label] (normalized). */
  static List<double[]> rows(TrainingData data, Split split) {
    List<double[]> out = new ArrayList<>();
    for (PartitionData pd : data.partitions.collect()) {
      for (Block b : pd.blocks(split)) {
        for (int r = 0; r < b.rows; r++) {
          double[] row = new double[b.cols + 1];
          System.arraycopy(b.x, r * b.cols, row, 0, b.cols);
          row[b.cols] = b.y[r];
          out.add(row);
        }
      }
    }
    return out;
  }

  @Test
  void bostonLoadsWithStatisticsOfTheTrainingRowsOnly() {
    DataSpec spec = spec("builtin:boston_housing.csv", "data.label=MEDV", "data.normalize=none");
    try (TrainingData data = TrainingDataLoader.load(jsc, spec, 42, 2)) {
      long train = data.rows(Split.TRAIN);
      long test = data.rows(Split.TEST);
      assertEquals(506, train + test);
      assertTrue(test > 70 && test < 135, "about 20% test rows: " + test);
      assertEquals(13, data.features());
      assertEquals("CRIM", data.featureNames.get(0));
      // Recompute the statistics from the cached (unnormalized) training rows by hand.
      List<double[]> rows = rows(data, Split.TRAIN);
      assertEquals(train, rows.size());
      for (int j = 0; j < 14; j++) {
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        for (double[] r : rows) {
          sum += r[j];
          min = Math.min(min, r[j]);
        }
        double mean = sum / rows.size();
        double ss = 0;
        for (double[] r : rows) {
          ss += (r[j] - mean) * (r[j] - mean);
        }
        assertEquals(mean, data.stats.mean()[j], 1e-9 * Math.max(1, Math.abs(mean)));
        assertEquals(Math.sqrt(ss / rows.size()), data.stats.std()[j], 1e-9 * Math.max(1, mean));
        assertEquals(min, data.stats.min()[j]);
      }
      assertEquals(train, data.stats.count());
      assertEquals(8L * 14 * 506, data.cachedBytes);
    }
  }

  @Test
  void splitsAndIdsDoNotDependOnPartitioning() {
    // Raw rows: the split and the ids are exactly the same; statistics may differ in the last bits
    // (their merge order follows training.partitions).
    DataSpec spec = spec("builtin:boston_housing.csv", "data.label=MEDV", "data.validation-fraction=0.1",
        "data.normalize=none");
    try (TrainingData one = TrainingDataLoader.load(jsc, spec, 7, 1);
        TrainingData three = TrainingDataLoader.load(jsc, spec, 7, 3)) {
      assertEquals(3, three.numPartitions());
      for (Split s : Split.values()) {
        List<double[]> a = rows(one, s);
        List<double[]> b = rows(three, s);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
          assertArrayEquals(a.get(i), b.get(i));
        }
      }
      assertArrayEquals(one.stats.mean(), three.stats.mean(), 1e-12);
    }
  }

  @Test
  void normalizationAppliesTrainStatisticsAndConstantColumnsStayFinite() throws IOException {
    Path f = write("const.csv", "a,c,y\n1,5,1\n2,5,2\n3,5,3\n4,5,4\n");
    try (TrainingData data = TrainingDataLoader.load(jsc, spec(f.toString(), "data.test-fraction=0"), 1, 2)) {
      List<double[]> rows = rows(data, Split.TRAIN);
      double sd = Math.sqrt(1.25);
      assertEquals((1 - 2.5) / sd, rows.get(0)[0], 1e-12);
      assertEquals(0.0, rows.get(0)[1]); // constant column: scale 1, shifted to 0, not NaN
      assertEquals(1.0, rows.get(0)[2]); // label not normalized by default
    }
    try (TrainingData data = TrainingDataLoader.load(jsc, spec(f.toString(), "data.test-fraction=0",
        "data.normalize=minmax"), 1, 2)) {
      assertEquals((1 - 2.5) / 3, rows(data, Split.TRAIN).get(0)[0], 1e-12);
    }
  }

  @Test
  void csvVariantsAreValid() throws IOException {
    Path f = write("variants.csv", "\uFEFFy,a\r\n1.5e1,-2\r\n2,3E-1\r\n\r\n\n");
    Path g = write("utf8bom.csv", "");
    Files.write(g, ("\uFEFFy,a\r\n1.5e1,-2\r\n2,3E-1\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    try (TrainingData data = TrainingDataLoader.load(jsc, spec(g.toString(), "data.test-fraction=0",
        "data.normalize=none"), 1, 2)) {
      List<double[]> rows = rows(data, Split.TRAIN);
      assertEquals(2, rows.size());
      assertArrayEquals(new double[] {-2, 15}, rows.get(0));
      assertArrayEquals(new double[] {0.3, 2}, rows.get(1));
    }
    assertTrue(Files.exists(f));
  }

  @Test
  void separateTestFileIsMatchedByColumnName() throws IOException {
    Path train = write("tr.csv", "a,b,y\n1,2,3\n4,5,6\n7,8,10\n");
    Path test = write("te.csv", "y,b,a\n9,8,7\n");
    try (TrainingData data = TrainingDataLoader.load(jsc, spec(train.toString(), "data.test=\"" + test + "\"",
        "data.normalize=none"), 1, 2)) {
      assertEquals(3, data.rows(Split.TRAIN));
      assertEquals(List.of(new double[] {7, 8, 9}).get(0)[0], rows(data, Split.TEST).get(0)[0]);
      assertArrayEquals(new double[] {7, 8, 9}, rows(data, Split.TEST).get(0));
    }
  }

  private DataException bad(String name, String text) throws IOException {
    Path f = write(name, text);
    return assertThrows(DataException.class, () -> TrainingDataLoader.load(jsc, spec(f.toString()), 1, 2));
  }

  @Test
  void everyBadInputClassNamesItsPlace() throws IOException {
    DataException e = bad("nonnum.csv", "a,y\n1,2\n3,x\n");
    assertTrue(e.getMessage().contains("nonnum.csv:3, column 'y': not a number: 'x'"), e.getMessage());
    assertEquals(3, bad("short.csv", "a,b,y\n1,2,3\n4,5\n").line());
    assertEquals(2, bad("long.csv", "a,y\n1,2,3\n").line());
    assertEquals("a", bad("nan.csv", "a,y\n1,2\nNaN,2\n").column());
    assertEquals("y", bad("inf.csv", "a,y\n1,Infinity\n").column());
    assertTrue(bad("emptylabel.csv", "a,y\n1,\n").getMessage().contains("empty value"));
    assertTrue(bad("empty.csv", "").getMessage().contains("the file is empty"));
    assertTrue(bad("headeronly.csv", "a,y\n").getMessage().contains("no data rows"));
    assertTrue(bad("nolabel.csv", "a,b\n1,2\n").getMessage().contains("no label column named 'y'"));
    assertEquals("a", bad("dup.csv", "a,a,y\n1,2,3\n").column());
    byte[] garbage = new byte[300];
    new java.util.Random(1).nextBytes(garbage);
    Path g = dir.resolve("garbage.bin");
    Files.write(g, garbage);
    DataException ge = assertThrows(DataException.class, () -> TrainingDataLoader.load(jsc, spec(g.toString()), 1, 2));
    assertTrue(ge.getMessage().startsWith(g.toString()), ge.getMessage());
    DataException missing = assertThrows(DataException.class,
        () -> TrainingDataLoader.load(jsc, spec(dir.resolve("nope.csv").toString()), 1, 2));
    assertTrue(missing.getMessage().contains("no such file"));
  }

  @Test
  void firstBadRowIsReportedWhenThereAreSeveral() throws IOException {
    StringBuilder sb = new StringBuilder("a,y\n");
    for (int i = 0; i < 2000; i++) {
      sb.append(i == 1500 || i == 1900 ? "oops" : String.valueOf(i)).append(",1\n");
    }
    assertEquals(1502, bad("many.csv", sb.toString()).line());
  }

  @Test
  void automaticBlocksStayClearOfHumongousArraysAndAConfiguredSizeWins() {
    for (int d : new int[] {1, 2, 13, 32, 64, 100, 784, 5000, 100_000}) {
      int rows = TrainingDataLoader.blockRows(0, d);
      assertTrue(rows >= 16 && rows <= 4096, d + " features: " + rows + " rows");
      // Under G1's smallest region half (512 KB) for every width where 16 rows allow it.
      assertTrue(rows == 16 || 8L * rows * d <= 256 * 1024, d + " features: " + rows + " rows");
    }
    assertEquals(500, TrainingDataLoader.blockRows(500, 32));
  }
}
