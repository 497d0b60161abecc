package sparksgd.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.testing.SparkTest;

/** A wide (3,000-slot sparse vector) Spark ML model saves its statistics in the sidecar and loads back whole. */
@SparkTest
class SparkMlWideModelTest {
  static SparkSession spark;
  @TempDir
  static Path dir;

  @Test
  void aWideModelSavesItsStatisticsBesideModelJsonAndPredictsTheSameAfterLoading() throws Exception {
    int width = 3000;
    Random r = new Random(5);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      int[] idx = r.ints(0, width).distinct().limit(8).sorted().toArray();
      double[] ones = new double[idx.length];
      java.util.Arrays.fill(ones, 1);
      rows.add(RowFactory.create(Vectors.sparse(width, idx, ones), idx[0] < 400 ? 1.0 : 0.0));
    }
    StructType schema = new StructType().add("features", new VectorUDT()).add("label", DataTypes.DoubleType);
    Dataset<Row> df = spark.createDataFrame(rows, schema);
    SgdClassificationModel model = new SgdClassifier().setMaxEpochs(2).setPartitions(1).setEngine("jobs").fit(df);
    Path saved = dir.resolve("wide");
    model.save(saved.toString());

    Path data = saved.resolve(ModelIo.DATA);
    assertTrue(Files.exists(data.resolve("stats-features.npy")));
    assertTrue(Files.size(data.resolve("model.json")) < 4096);
    JsonNode json = new ObjectMapper().readTree(data.resolve("model.json").toFile());
    assertEquals("{\"prefix\":\"features[\",\"first\":1,\"suffix\":\"]\",\"count\":3000}", json.get("features").toString());
    assertFalse(json.get("normalization").has("columns"));

    SgdClassificationModel back = SgdClassificationModel.load(saved.toString());
    assertEquals(model.uid(), back.uid());
    double[] before = probabilities(model.transform(df));
    double[] after = probabilities(back.transform(df));
    assertArrayEquals(before, after, "the loaded model scores every row as the fitted one");
  }

  private static double[] probabilities(Dataset<Row> out) {
    return out.select("probability").collectAsList().stream().mapToDouble(r -> ((Vector) r.get(0)).apply(1)).toArray();
  }
}
