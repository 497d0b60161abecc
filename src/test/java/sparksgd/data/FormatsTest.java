package sparksgd.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.job.JobLoader;
import sparksgd.job.JobSpec;
import sparksgd.testing.SparkTest;
import sparksgd.train.TrainingRun;

/** The same Boston rows in every format give the same statistics and bit-identical weights. */
@SparkTest
class FormatsTest {
  static SparkSession spark;
  static JavaSparkContext jsc;
  @TempDir
  static Path dir;
  static List<String[]> rows = new ArrayList<>();
  static String[] header;

  @BeforeAll
  static void start() throws IOException {
    try (InputStream in = FormatsTest.class.getClassLoader().getResourceAsStream("datasets/boston_housing.csv")) {
      List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      header = lines.get(0).split(",");
      for (String l : lines.subList(1, lines.size())) {
        rows.add(l.split(","));
      }
    }
  }

  static JobSpec job(String... sets) {
    List<String> all = new ArrayList<>(List.of("model.type=mlp", "model.hidden=[8]", "training.epochs=2",
        "training.engine=jobs", "optimizer.type=rmsprop", "optimizer.learning-rate=0.001", "training.batch-size=16"));
    all.addAll(List.of(sets));
    return JobLoader.load("", "formats.conf", all);
  }

  static double[][] train(JobSpec job) {
    try (TrainingData data = TrainingDataLoader.load(jsc, job.data(), job.training().seed(), job.training().partitions())) {
      TrainingRun.Result r = TrainingRun.run(jsc, job, data, List.of());
      return new double[][] {r.params(), data.stats.mean(), data.stats.std(), {data.rows(Split.TRAIN)}};
    }
  }

  @Test
  void everyFormatGivesTheSameStatisticsAndWeights() throws IOException {
    StringBuilder headerless = new StringBuilder();
    StringBuilder whitespace = new StringBuilder();
    StringBuilder libsvm = new StringBuilder();
    List<Row> parquetRows = new ArrayList<>();
    for (String[] r : rows) {
      headerless.append(String.join(",", r)).append('\n');
      whitespace.append(' ').append(String.join("   ", r)).append('\n');
      libsvm.append(r[13]);
      for (int j = 0; j < 13; j++) {
        libsvm.append(' ').append(j + 1).append(':').append(r[j]);
      }
      libsvm.append('\n');
      Object[] values = new Object[14];
      for (int j = 0; j < 14; j++) {
        values[j] = Double.parseDouble(r[j]);
      }
      parquetRows.add(RowFactory.create(values));
    }
    Path h = dir.resolve("headerless.csv");
    Files.writeString(h, headerless);
    Path w = dir.resolve("housing.data");
    Files.writeString(w, whitespace);
    Path l = dir.resolve("boston.libsvm");
    Files.writeString(l, libsvm);
    List<StructField> fields = new ArrayList<>();
    for (String name : header) {
      fields.add(DataTypes.createStructField(name, DataTypes.DoubleType, false));
    }
    Dataset<Row> df = spark.createDataFrame(parquetRows, new StructType(fields.toArray(new StructField[0])));
    Path p = dir.resolve("boston.parquet");
    df.coalesce(1).write().parquet(p.toString());

    double[][] csv = train(job("data.train=\"builtin:boston_housing.csv\"", "data.label=MEDV"));
    String columns = "data.columns=[" + String.join(",", header) + "]";
    List<double[][]> others = List.of(
        train(job("data.train=\"" + h + "\"", "data.label=MEDV", "data.header=false", columns)),
        train(job("data.train=\"" + w + "\"", "data.label=MEDV", "data.format=whitespace")),
        train(job("data.train=\"" + l + "\"", "data.label=MEDV", "data.format=libsvm", "data.num-features=13")),
        train(job("data.train=\"" + l + "\"", "data.label=MEDV", "data.format=libsvm")),
        train(job("data.train=\"" + p + "\"", "data.label=MEDV", "data.format=parquet")));
    assertEquals(404, csv[3][0], 25);
    for (double[][] o : others) {
      assertArrayEquals(csv[1], o[1], "means");
      assertArrayEquals(csv[2], o[2], "stds");
      assertArrayEquals(csv[0], o[0], "bit-identical weights");
    }
  }

  private DataException bad(String name, String text, String... sets) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    List<String> all = new ArrayList<>(List.of("data.train=\"" + f + "\"", "data.label=y"));
    all.addAll(List.of(sets));
    JobSpec job = JobLoader.load("", "bad.conf", all);
    return assertThrows(DataException.class, () -> TrainingDataLoader.load(jsc, job.data(), 1, 2));
  }

  @Test
  void malformedInputNamesItsPlaceInEveryFormat() throws IOException {
    DataException ws = bad("a.data", " 1  2\n 3 x\n", "data.format=whitespace", "data.columns=[a,y]");
    assertTrue(ws.getMessage().contains("a.data:2, column 'y': not a number: 'x'"), ws.getMessage());
    assertEquals(1, bad("b.data", " 1  2 3\n", "data.format=whitespace", "data.columns=[a,y]").line());
    DataException svm = bad("c.svm", "1 1:2 2:3\n2 1:x\n", "data.format=libsvm");
    assertTrue(svm.getMessage().contains("c.svm:2, column 'f1'"), svm.getMessage());
    assertTrue(bad("d.svm", "1 2:1 1:3\n", "data.format=libsvm", "data.num-features=2").getMessage().contains("ascending"));
    assertTrue(bad("e.svm", "1 3:1\n", "data.format=libsvm", "data.num-features=2").getMessage().contains("out of range"));
    assertTrue(bad("f.svm", "1 1-2\n", "data.format=libsvm", "data.num-features=2").getMessage().contains("index:value"));
    assertEquals("y", bad("g.csv", "1,2\n3,\n", "data.header=false", "data.columns=[a,y]").column());
  }

  @Test
  void parquetTypeMismatchNamesTheColumnAndItsType() {
    Path p = dir.resolve("typed.parquet");
    List<Row> r = List.of(RowFactory.create(1.0, "seven"), RowFactory.create(2.0, "eight"));
    StructType t = new StructType(new StructField[] {DataTypes.createStructField("y", DataTypes.DoubleType, false),
        DataTypes.createStructField("a", DataTypes.StringType, false)});
    spark.createDataFrame(r, t).write().parquet(p.toString());
    JobSpec job = JobLoader.load("", "bad.conf", List.of("data.train=\"" + p + "\"", "data.label=y",
        "data.format=parquet"));
    DataException e = assertThrows(DataException.class, () -> TrainingDataLoader.load(jsc, job.data(), 1, 2));
    assertEquals("a", e.column());
    assertTrue(e.getMessage().contains("has type string"), e.getMessage());
  }
}
