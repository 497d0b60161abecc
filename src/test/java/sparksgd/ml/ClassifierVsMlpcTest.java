package sparksgd.ml;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import sparksgd.testing.SparkTest;

/**
 * SgdClassifier against MLlib's MultilayerPerceptronClassifier (sigmoid hidden layers, softmax output,
 * L-BFGS) with the same hidden layers, on the same seeded split, both behind the same StandardScaler.
 */
@SparkTest
class ClassifierVsMlpcTest {
  static SparkSession spark;

  private static double[] compare(String file, String label, int[] hidden, int epochs, int batch) {
    Dataset<Row> df = spark.read().option("header", true).option("inferSchema", true)
        .csv("src/main/resources/datasets/" + file);
    String[] inputs = Arrays.stream(df.columns()).filter(c -> !c.equals(label)).toArray(String[]::new);
    Dataset<Row> data = df.withColumn("label", df.col(label).cast("double"));
    Dataset<Row>[] split = data.randomSplit(new double[] {0.8, 0.2}, 42);
    VectorAssembler assemble = new VectorAssembler().setInputCols(inputs).setOutputCol("raw");
    StandardScaler scale = new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true);
    int classes = (int) data.agg(org.apache.spark.sql.functions.max("label")).first().getDouble(0) + 1;
    int[] layers = new int[hidden.length + 2];
    layers[0] = inputs.length;
    System.arraycopy(hidden, 0, layers, 1, hidden.length);
    layers[layers.length - 1] = classes;
    MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");

    SgdClassifier ours = new SgdClassifier().setHiddenLayers(hidden).setOptimizer("rmsprop").setLearningRate(0.001)
        .setMaxEpochs(epochs).setBatchSize(batch).setPartitions(2);
    MultilayerPerceptronClassifier mlpc = new MultilayerPerceptronClassifier().setLayers(layers).setSeed(42L);
    double a = accuracy.evaluate(new Pipeline().setStages(new PipelineStage[] {assemble, scale, ours})
        .fit(split[0]).transform(split[1]));
    double b = accuracy.evaluate(new Pipeline().setStages(new PipelineStage[] {assemble, scale, mlpc})
        .fit(split[0]).transform(split[1]));
    System.out.printf(Locale.ROOT, "%s: SgdClassifier %s accuracy %.4f, MultilayerPerceptronClassifier %s %.4f "
        + "(%d test rows)%n", file, Arrays.toString(hidden), a, Arrays.toString(layers), b, split[1].count());
    return new double[] {a, b};
  }

  @Test
  void breastCancerBinary() {
    double[] acc = compare("breast_cancer.csv", "benign", new int[] {16, 16}, 40, 16);
    assertTrue(acc[0] >= acc[1], "SgdClassifier " + acc[0] + " below MLPC " + acc[1]);
  }

  @Test
  void digitsTenClasses() {
    double[] acc = compare("digits.csv", "digit", new int[] {64, 64}, 30, 32);
    assertTrue(acc[0] >= acc[1], "SgdClassifier " + acc[0] + " below MLPC " + acc[1]);
  }
}
