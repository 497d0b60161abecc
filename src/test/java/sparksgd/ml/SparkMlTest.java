package sparksgd.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.cli.CliRunner;
import sparksgd.testing.SparkTest;

/** The estimators as Spark ML users compose them: Pipelines, CrossValidator, persistence. */
@SparkTest
class SparkMlTest {
  static SparkSession spark;
  @TempDir
  static Path dir;

  static Dataset<Row> csv(String name) {
    return spark.read().option("header", true).option("inferSchema", true)
        .csv("src/main/resources/datasets/" + name);
  }

  /** Boston with a "features" vector of the 13 inputs in file order, split 80/20 by a seeded split. */
  static Dataset<Row>[] boston() {
    Dataset<Row> df = csv("boston_housing.csv");
    String[] inputs = Arrays.stream(df.columns()).filter(c -> !c.equals("MEDV")).toArray(String[]::new);
    Dataset<Row> v = new VectorAssembler().setInputCols(inputs).setOutputCol("features").transform(df);
    return v.withColumnRenamed("MEDV", "label").randomSplit(new double[] {0.8, 0.2}, 42);
  }

  static double[] column(Dataset<Row> df, String name) {
    return df.select(name).collectAsList().stream().mapToDouble(r -> r.getDouble(0)).toArray();
  }

  @Test
  void pipelineOfAssemblerScalerAndRegressorFitsAndTransforms() {
    Dataset<Row> df = csv("boston_housing.csv");
    Dataset<Row>[] split = df.randomSplit(new double[] {0.8, 0.2}, 7);
    String[] inputs = Arrays.stream(df.columns()).filter(c -> !c.equals("MEDV")).toArray(String[]::new);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(inputs).setOutputCol("raw"),
        new StandardScaler().setInputCol("raw").setOutputCol("scaled").setWithMean(true),
        new SgdRegressor().setFeaturesCol("scaled").setLabelCol("MEDV").setHiddenLayers(32).setMaxEpochs(40)
            .setBatchSize(16).setPartitions(1)});
    PipelineModel model = pipeline.fit(split[0]);
    Dataset<Row> out = model.transform(split[1]);
    assertTrue(Arrays.asList(out.columns()).contains("prediction"));
    double mae = new RegressionEvaluator().setLabelCol("MEDV").setMetricName("mae").evaluate(out);
    double[] y = column(split[1], "MEDV");
    double mean = Arrays.stream(y).average().orElseThrow();
    double baseline = Arrays.stream(y).map(v -> Math.abs(v - mean)).average().orElseThrow();
    // A trained MLP is far better than predicting the mean (about 6.5 on this data).
    assertTrue(mae < 0.6 * baseline, "test MAE " + mae + " vs mean-predictor MAE " + baseline);
    SgdRegressionModel m = (SgdRegressionModel) model.stages()[2];
    assertEquals(13, m.numFeatures());
  }

  @Test
  void crossValidatorPicksAModelFromAParamGrid() {
    Dataset<Row>[] split = boston();
    SgdRegressor reg = new SgdRegressor().setMaxEpochs(15).setBatchSize(16).setPartitions(1);
    ParamMap[] grid = new ParamGridBuilder()
        .addGrid(reg.learningRate(), new double[] {1e-4, 1e-2})
        .addGrid(reg.hiddenLayers(), scala.jdk.javaapi.CollectionConverters.asScala(
            List.<int[]>of(new int[] {8}, new int[] {32})))
        .build();
    CrossValidator cv = new CrossValidator().setEstimator(reg).setEstimatorParamMaps(grid)
        .setEvaluator(new RegressionEvaluator().setMetricName("mae")).setNumFolds(3).setParallelism(2).setSeed(1);
    CrossValidatorModel model = cv.fit(split[0]);
    double[] avg = model.avgMetrics();
    assertEquals(4, avg.length);
    int best = 0;
    for (int i = 0; i < avg.length; i++) {
      assertTrue(Double.isFinite(avg[i]) && avg[i] > 0 && avg[i] < 25, "avg MAE " + avg[i]);
      best = avg[i] < avg[best] ? i : best;
    }
    // 15 epochs at 1e-4 barely move the weights; 1e-2 learns: the grid's best uses the larger rate.
    assertEquals(1e-2, (double) grid[best].apply(reg.learningRate()));
    SgdRegressionModel chosen = assertInstanceOf(SgdRegressionModel.class, model.bestModel());
    assertEquals(1e-2, chosen.getOrDefault(chosen.getParam("learningRate")));
    double mae = new RegressionEvaluator().setMetricName("mae").evaluate(model.transform(split[1]));
    assertTrue(mae < avg[best] * 1.5, "test MAE " + mae + " against CV MAE " + avg[best]);
  }

  @Test
  void saveAndLoadGiveIdenticalPredictions() throws Exception {
    Dataset<Row>[] split = boston();
    SgdRegressionModel m = new SgdRegressor().setHiddenLayers(8).setMaxEpochs(3).setPartitions(1)
        .setPredictionCol("price").fit(split[0]);
    String path = dir.resolve("reg").toString();
    m.write().overwrite().save(path);
    SgdRegressionModel back = SgdRegressionModel.load(path);
    assertEquals(m.uid(), back.uid());
    assertEquals("price", back.getPredictionCol());
    assertEquals(Arrays.toString(column(m.transform(split[1]), "price")),
        Arrays.toString(column(back.transform(split[1]), "price")));
    assertThrows(IllegalArgumentException.class, () -> SgdClassificationModel.load(path));

    Dataset<Row> cancer = cancer()[0];
    SgdClassificationModel c = new SgdClassifier().setHiddenLayers(4).setMaxEpochs(2).setPartitions(1).fit(cancer);
    String cpath = dir.resolve("cls").toString();
    c.save(cpath);
    SgdClassificationModel cback = SgdClassificationModel.load(cpath);
    Dataset<Row> a = c.transform(cancer);
    Dataset<Row> b = cback.transform(cancer);
    assertEquals(a.select("probability", "prediction").collectAsList(), b.select("probability", "prediction")
        .collectAsList());
  }

  /** Breast cancer: "features" from every column but the label, label "benign" (0/1). */
  static Dataset<Row>[] cancer() {
    Dataset<Row> df = csv("breast_cancer.csv");
    String[] inputs = Arrays.stream(df.columns()).filter(c -> !c.equals("benign")).toArray(String[]::new);
    return new VectorAssembler().setInputCols(inputs).setOutputCol("features").transform(df)
        .withColumn("label", df.col("benign").cast("double")).randomSplit(new double[] {0.8, 0.2}, 42);
  }

  @Test
  void aModelTrainedByTheCliLoadsAsASparkMlModelAndBack() throws Exception {
    Path run = dir.resolve("cli-run");
    CliRunner t = CliRunner.run("train", "jobs/boston-mlp.conf", "--out", run.toString(), "--set",
        "training.epochs=2", "--set", "training.partitions=1");
    assertEquals(0, t.code(), t.err());
    SgdRegressionModel m = SgdRegressionModel.load(run.resolve("model").toString());
    Dataset<Row> df = csv("boston_housing.csv");
    Dataset<Row> v = new VectorAssembler().setInputCols(m.trained().features().toArray(String[]::new))
        .setOutputCol("features").transform(df);
    double[] ml = column(m.transform(v), "prediction");

    Path preds = dir.resolve("cli-preds.csv");
    CliRunner p = CliRunner.run("predict", "--model", run.resolve("model").toString(), "--input",
        "src/main/resources/datasets/boston_housing.csv", "--output", preds.toString());
    assertEquals(0, p.code(), p.err());
    List<String> lines = Files.readAllLines(preds);
    assertEquals(ml.length + 1, lines.size());
    for (int i = 0; i < ml.length; i++) {
      String[] c = lines.get(i + 1).split(",");
      // The CLI scores rows in blocks, Spark ML one row at a time: BLAS may round the last bit differently.
      double cli = Double.parseDouble(c[c.length - 1]);
      assertEquals(cli, ml[i], 1e-12 * Math.max(1, Math.abs(cli)), "row " + (i + 1));
    }

    // And a model saved through Spark ML is a CLI model.
    String saved = dir.resolve("ml-saved").toString();
    m.write().save(saved);
    Path again = dir.resolve("cli-preds-2.csv");
    CliRunner p2 = CliRunner.run("predict", "--model", saved, "--input",
        "src/main/resources/datasets/boston_housing.csv", "--output", again.toString());
    assertEquals(0, p2.code(), p2.err());
    assertEquals(lines, Files.readAllLines(again));
  }

  @Test
  void aFitWithACheckpointDirResumesWhereTheLastOneStopped() {
    Dataset<Row>[] split = boston();
    SgdRegressor reg = new SgdRegressor().setHiddenLayers(8).setPartitions(1).setBatchSize(32);
    double[] straight = column(reg.copy(new ParamMap()).setMaxEpochs(4).fit(split[0]).transform(split[1]),
        "prediction");
    String ckpt = dir.resolve("ckpt").toString();
    reg.setCheckpointDir(ckpt);
    reg.copy(new ParamMap()).setMaxEpochs(2).fit(split[0]);
    assertTrue(Files.isDirectory(Path.of(ckpt)));
    // The checkpoint is really consulted: other training settings are refused, naming the key.
    Exception refused = assertThrows(sparksgd.job.JobConfigException.class,
        () -> reg.copy(new ParamMap()).setMaxEpochs(4).setLearningRate(0.01).fit(split[0]));
    assertTrue(refused.getMessage().contains("optimizer.learning-rate"), refused.getMessage());
    double[] resumed = column(reg.copy(new ParamMap()).setMaxEpochs(4).fit(split[0]).transform(split[1]),
        "prediction");
    assertEquals(Arrays.toString(straight), Arrays.toString(resumed));
  }

  @Test
  void paramsAreTypedValidatedAndListed() {
    SgdRegressor r = new SgdRegressor();
    assertEquals(0, r.getHiddenLayers().length);
    assertEquals("adam", r.getOptimizer());
    assertThrows(IllegalArgumentException.class, () -> r.setLearningRate(0));
    assertThrows(IllegalArgumentException.class, () -> r.setOptimizer("lbfgs"));
    assertThrows(IllegalArgumentException.class, () -> r.setBatchSize(0));
    List<String> names = Arrays.stream(r.params()).map(p -> p.name()).toList();
    for (String n : List.of("hiddenLayers", "activation", "optimizer", "learningRate", "batchSize", "maxEpochs", "seed",
        "partitions", "engine", "checkpointDir", "featuresCol", "labelCol", "predictionCol")) {
      assertTrue(names.contains(n), n + " in " + names);
    }
    SgdRegressor copy = r.copy(new ParamMap().put(r.learningRate(), 0.05));
    assertEquals(0.05, copy.getLearningRate());
    assertEquals(0.001, r.getLearningRate());
  }

  /**
   * The CLI's classification metrics (summed in partitions, finished on the driver) are Spark's: the
   * same random logits and labels through ClassificationMetrics and MulticlassClassificationEvaluator.
   */
  @Test
  void classificationMetricsAgreeWithSparksEvaluator() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
    for (int k : new int[] {1, 3}) { // one sigmoid output (binary), or a softmax over 3 classes
      int classes = Math.max(2, k);
      sparksgd.model.ClassificationMetrics metrics = new sparksgd.model.ClassificationMetrics(classes);
      double[] acc = new double[metrics.width()];
      List<Row> rows = new java.util.ArrayList<>();
      for (int i = 0; i < 500; i++) {
        double[] z = new double[k];
        for (int c = 0; c < k; c++) {
          z[c] = rnd.nextGaussian() * 2;
        }
        double label = rnd.nextInt(classes);
        double[] prob = new double[classes];
        if (k == 1) {
          prob[1] = 1 / (1 + Math.exp(-z[0]));
          prob[0] = 1 - prob[1];
        } else {
          double sum = 0;
          for (int c = 0; c < k; c++) {
            prob[c] = Math.exp(z[c]);
            sum += prob[c];
          }
          for (int c = 0; c < k; c++) {
            prob[c] /= sum;
          }
        }
        metrics.add(acc, z, 0, k, label, -Math.log(prob[(int) label]));
        double predicted = sparksgd.model.ClassificationMetrics.predictedClass(z, 0, k);
        rows.add(org.apache.spark.sql.RowFactory.create(label, predicted,
            org.apache.spark.ml.linalg.Vectors.dense(prob)));
      }
      org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
          .add("label", "double").add("prediction", "double")
          .add("probability", new org.apache.spark.ml.linalg.VectorUDT());
      Dataset<Row> df = spark.createDataFrame(rows, schema);
      java.util.Map<String, Double> ours = metrics.finish(acc);
      var evaluator = new org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator();
      assertEquals(evaluator.setMetricName("accuracy").evaluate(df), ours.get("accuracy"), 1e-12);
      assertEquals(evaluator.setMetricName("f1").evaluate(df), ours.get("f1"), 1e-12);
      assertEquals(evaluator.setMetricName("logLoss").evaluate(df), ours.get("logloss"), 1e-9);
    }
  }

  static Vector first(Dataset<Row> df, String col) {
    return (Vector) df.select(col).first().get(0);
  }
}
