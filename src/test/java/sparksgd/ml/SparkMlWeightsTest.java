package sparksgd.ml;

import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import sparksgd.data.FeatureStats;
import sparksgd.testing.SparkTest;

/**
 * weightCol: a full-batch fit with integer weights 0..3 equals a full-batch fit on the rows repeated that
 * many times (parameters and statistics to 1e-9 relative); a negative weight is refused naming the column.
 */
@SparkTest
class SparkMlWeightsTest {
  static SparkSession spark;

  @Test
  void weightColEqualsRepeatedRows() {
    Dataset<Row> df = spark.read().option("header", true).option("inferSchema", true)
        .csv("src/main/resources/datasets/boston_housing.csv").coalesce(1)
        .withColumn("w", expr("cast(pmod(cast(round(CRIM * 1000 + TAX) as int), 4) as double)"));
    String[] inputs = Arrays.stream(df.columns()).filter(c -> !c.equals("MEDV") && !c.equals("w"))
        .toArray(String[]::new);
    Dataset<Row> v = new VectorAssembler().setInputCols(inputs).setOutputCol("features").transform(df)
        .withColumnRenamed("MEDV", "label").select("features", "label", "w").cache();
    Dataset<Row> repeated = v.withColumn("copy", expr("explode(array_repeat(1, cast(w as int)))"))
        .select("features", "label").cache();
    int rows = (int) v.count();
    int copies = (int) repeated.count();
    assertTrue(copies > rows / 2 && copies != rows, "weights 0..3 are mixed: " + copies + " copies of " + rows);
    SgdRegressor base = new SgdRegressor().setOptimizer("sgd").setLearningRate(0.05).setMaxEpochs(3)
        .setPartitions(2).setEngine("jobs");
    SgdRegressionModel weighted = base.copy(org.apache.spark.ml.param.ParamMap.empty()).setWeightCol("w")
        .setBatchSize(rows).fit(v);
    SgdRegressionModel plain = base.copy(org.apache.spark.ml.param.ParamMap.empty()).setBatchSize(copies)
        .fit(repeated);
    double[] a = weighted.trained().params();
    double[] b = plain.trained().params();
    double scale = Arrays.stream(b).map(Math::abs).max().orElse(0);
    for (int i = 0; i < b.length; i++) {
      assertEquals(b[i], a[i], 1e-9 * scale, "parameter " + i);
    }
    FeatureStats sa = weighted.trained().stats();
    FeatureStats sb = plain.trained().stats();
    for (int j = 0; j < sb.names().size(); j++) {
      assertEquals(sb.mean()[j], sa.mean()[j], 1e-9 * Math.abs(sb.mean()[j]) + 1e-12, "mean " + j);
      assertEquals(sb.std()[j], sa.std()[j], 1e-9 * sb.std()[j] + 1e-12, "std " + j);
      assertEquals(sb.min()[j], sa.min()[j], 0.0, "min " + j);
      assertEquals(sb.max()[j], sa.max()[j], 0.0, "max " + j);
    }
    // The weight column is not scored: transform works on frames without it.
    assertEquals(copies, weighted.transform(repeated).count());

    Dataset<Row> negative = v.withColumn("w", expr("w - 1"));
    Exception e = assertThrows(Exception.class, () -> base.copy(org.apache.spark.ml.param.ParamMap.empty())
        .setWeightCol("w").fit(negative));
    String m = String.valueOf(e.getMessage());
    assertTrue(m.contains("w") && m.contains(">= 0"), m);
  }
}
