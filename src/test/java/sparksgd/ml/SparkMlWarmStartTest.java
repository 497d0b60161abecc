package sparksgd.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import sparksgd.testing.SparkTest;

/** setInitialModel: a fit starts from the given model's weights and statistics. */
@SparkTest
class SparkMlWarmStartTest {
  static SparkSession spark;

  @Test
  void fitStartsFromTheInitialModel() {
    Dataset<Row> df = spark.read().option("header", true).option("inferSchema", true)
        .csv("src/main/resources/datasets/boston_housing.csv");
    String[] inputs = Arrays.stream(df.columns()).filter(c -> !c.equals("MEDV")).toArray(String[]::new);
    Dataset<Row> v = new VectorAssembler().setInputCols(inputs).setOutputCol("features").transform(df)
        .withColumnRenamed("MEDV", "label").cache();
    SgdRegressionModel m0 = new SgdRegressor().setMaxEpochs(3).setPartitions(1).setEngine("jobs").fit(v);
    // A rate of 1e-12 barely moves anything: the result is where the fit started.
    SgdRegressor tiny = new SgdRegressor().setMaxEpochs(1).setPartitions(1).setEngine("jobs").setLearningRate(1e-12);
    SgdRegressionModel warm = tiny.copy(ParamMap.empty()).setInitialModel(m0).fit(v);
    SgdRegressionModel cold = tiny.fit(v);
    assertArrayEquals(m0.trained().params(), warm.trained().params(), 1e-9);
    assertArrayEquals(m0.trained().stats().toJson().toString().toCharArray(),
        warm.trained().stats().toJson().toString().toCharArray(), "statistics come from the initial model");
    double far = 0;
    for (int i = 0; i < m0.trained().params().length; i++) {
      far = Math.max(far, Math.abs(m0.trained().params()[i] - cold.trained().params()[i]));
    }
    assertTrue(far > 1e-3, "without it the fit starts from fresh weights (" + far + ")");
  }

  @Test
  void copiesKeepTheInitialModel() {
    SgdRegressor r = new SgdRegressor();
    assertSame(null, r.copy(ParamMap.empty()).getInitialModel());
    SgdClassifier c = new SgdClassifier();
    assertSame(c.getInitialModel(), c.copy(ParamMap.empty()).getInitialModel());
  }
}
