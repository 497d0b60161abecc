package sparksgd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.testing.SparkTest;
import sparksgd.train.ClassifierScores;

/** evaluate on a classifier: accuracy, log loss, F1 and the confusion matrix, and where it wrote them. */
@SparkTest
class EvaluateClassifierTest {
  static SparkSession spark;
  @TempDir
  static Path dir;

  @Test
  void aBinaryClassifiersEvaluationHoldsItsConfusionMatrix() throws Exception {
    Path run = dir.resolve("bc");
    CliRunner t = CliRunner.run("train", "jobs/breast-cancer.conf", "--out", run.toString(), "--set",
        "training.epochs=3", "--set", "data.test-fraction=0");
    assertEquals(0, t.code(), t.err());
    Path output = dir.resolve("eval.json");
    CliRunner e = CliRunner.run("evaluate", "--model", run.toString(), "--input",
        "src/main/resources/datasets/breast_cancer.csv", "--output", output.toString());
    assertEquals(0, e.code(), e.err());
    assertTrue(e.out().contains("metrics written to ") && e.out().contains(output.getFileName().toString()),
        e.out());
    JsonNode m = new ObjectMapper().readTree(output.toFile());
    JsonNode cm = m.get("confusion_matrix");
    long tn = cm.get(0).get(0).asLong();
    long fp = cm.get(0).get(1).asLong();
    long fn = cm.get(1).get(0).asLong();
    long tp = cm.get(1).get(1).asLong();
    assertEquals(569, tn + fp + fn + tp, "every row of the data set once");
    assertEquals(569, m.get("rows").asLong());
    assertEquals((tn + tp) / 569.0, m.get("accuracy").asDouble(), 1e-12);
    assertEquals(2.0 * tp / (2 * tp + fp + fn), m.get("f1").asDouble(), 1e-12);
    double logloss = m.get("logloss").asDouble();
    assertTrue(logloss > 0 && logloss < Math.log(2) * 2, "a trained model's log loss: " + logloss);
    // The same model scores the same on the same rows as training's own evaluation of the whole set.
    JsonNode metrics = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
    assertEquals(metrics.get("train").get("accuracy").asDouble(), m.get("accuracy").asDouble(), 1e-9);
  }

  @Test
  void manyClassesGetTheMacroF1() {
    // Class 0: tp 2, predicted 3, actual 2 -> F1 0.8; class 1: tp 1, predicted 1, actual 2 -> 2/3;
    // class 2: tp 0, predicted 0, actual 0 -> 0 (counted in the mean all the same).
    ClassifierScores s = new ClassifierScores(new long[][] {{2, 0, 0}, {1, 1, 0}, {0, 0, 0}}, 2.0);
    Map<String, Object> m = s.toMap();
    assertEquals(0.75, (double) m.get("accuracy"), 1e-12);
    assertEquals(0.5, (double) m.get("logloss"), 1e-12);
    assertEquals((0.8 + 2.0 / 3) / 3, (double) m.get("f1"), 1e-12);
    assertEquals(4L, m.get("rows"));
  }
}
