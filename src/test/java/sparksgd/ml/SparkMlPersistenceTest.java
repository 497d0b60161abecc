package sparksgd.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.cli.CliRunner;
import sparksgd.cli.ExitCodes;
import sparksgd.testing.SparkTest;

/**
 * Spark ML persistence as Spark's own Pipeline, CrossValidator and TrainValidationSplit use it: each
 * test saves and loads through Spark's API and compares what comes back with what went in.
 */
@SparkTest
class SparkMlPersistenceTest {
  static final String BOSTON = "src/main/resources/datasets/boston_housing.csv";
  /** A Spark job per step: the cheapest engine for these tiny fits (persistence does not depend on it). */
  static final String JOBS = "jobs";
  static SparkSession spark;
  @TempDir
  static Path dir;

  static Dataset<Row> csv(String file) {
    return spark.read().option("header", true).option("inferSchema", true).csv(file);
  }

  static String[] inputs(Dataset<Row> df, String label) {
    return Arrays.stream(df.columns()).filter(c -> !c.equals(label)).toArray(String[]::new);
  }

  static double[] column(Dataset<Row> df, String name) {
    return df.select(name).collectAsList().stream().mapToDouble(r -> r.getDouble(0)).toArray();
  }

  /** Spark's metadata of a saved stage: the one JSON line of metadata/part-*. */
  static JsonNode metadata(Path stage) throws IOException {
    try (Stream<Path> files = Files.list(stage.resolve("metadata"))) {
      Path part = files.filter(f -> f.getFileName().toString().startsWith("part-")).findFirst().orElseThrow();
      return new ObjectMapper().readTree(Files.readAllLines(part).get(0));
    }
  }

  static Path stageFolder(Path pipeline, String uid) throws IOException {
    try (Stream<Path> s = Files.list(pipeline.resolve("stages"))) {
      return s.filter(p -> p.getFileName().toString().endsWith("_" + uid)).findFirst().orElseThrow();
    }
  }

  @Test
  void pipelineOfAssemblerScalerAndRegressorSavesAndLoadsWithIdenticalPredictions() throws IOException {
    Dataset<Row> df = csv(BOSTON);
    Dataset<Row>[] split = df.randomSplit(new double[] {0.8, 0.2}, 7);
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(inputs(df, "MEDV")).setOutputCol("raw"),
        new StandardScaler().setInputCol("raw").setOutputCol("scaled").setWithMean(true),
        new SgdRegressor().setFeaturesCol("scaled").setLabelCol("MEDV").setHiddenLayers(8).setMaxEpochs(3)
            .setPartitions(1).setEngine(JOBS)}).fit(split[0]);
    Path saved = dir.resolve("pipeline");
    model.write().overwrite().save(saved.toString());

    SgdRegressionModel reg = (SgdRegressionModel) model.stages()[2];
    Path stage = stageFolder(saved, reg.uid());
    JsonNode md = metadata(stage);
    assertEquals(SgdRegressionModel.class.getName(), md.get("class").asText());
    assertEquals(reg.uid(), md.get("uid").asText());
    assertEquals(spark.version(), md.get("sparkVersion").asText());
    assertTrue(md.get("timestamp").asLong() > 0);
    assertEquals("[8]", md.get("paramMap").get("hiddenLayers").toString());
    assertEquals("scaled", md.get("paramMap").get("featuresCol").asText());
    assertEquals("prediction", md.get("defaultParamMap").get("predictionCol").asText());
    // The model's own files, in the CLI's format, under data/.
    for (String f : List.of("model.json", "W1.npy", "b1.npy", "W2.npy", "b2.npy")) {
      assertTrue(Files.isRegularFile(stage.resolve("data").resolve(f)), f);
    }

    PipelineModel back = PipelineModel.load(saved.toString());
    SgdRegressionModel regBack = assertInstanceOf(SgdRegressionModel.class, back.stages()[2]);
    assertEquals(reg.uid(), regBack.uid());
    assertEquals("scaled", regBack.getFeaturesCol());
    assertArrayEquals(new int[] {8}, regBack.getHiddenLayers());
    double[] before = column(model.transform(split[1]), "prediction");
    assertArrayEquals(before, column(back.transform(split[1]), "prediction"));

    // The CLI cannot repeat the scaler, so it refuses this pipeline and names the stage.
    CliRunner r = CliRunner.run("predict", "--model", saved.toString(), "--input", BOSTON, "--output",
        dir.resolve("refused.csv").toString());
    assertEquals(ExitCodes.DATA, r.code(), r.err());
    assertTrue(r.err().contains("StandardScalerModel") && r.err().contains("VectorAssembler"), r.err());
  }

  /** Boston with a "features" vector of the 13 inputs (VectorAssembler), label "label". */
  static Dataset<Row> bostonVectors() {
    Dataset<Row> df = csv(BOSTON);
    return new VectorAssembler().setInputCols(inputs(df, "MEDV")).setOutputCol("features").transform(df)
        .withColumnRenamed("MEDV", "label");
  }

  @Test
  void crossValidatorModelSavesAndLoadsWithOurEstimatorInside() throws IOException {
    Dataset<Row> data = bostonVectors();
    SgdRegressor reg = new SgdRegressor().setHiddenLayers(4).setMaxEpochs(2).setBatchSize(64).setPartitions(1)
        .setEngine(JOBS);
    ParamMap[] grid = new ParamGridBuilder().addGrid(reg.learningRate(), new double[] {1e-3, 1e-2}).build();
    CrossValidatorModel cv = new CrossValidator().setEstimator(reg).setEstimatorParamMaps(grid)
        .setEvaluator(new RegressionEvaluator().setMetricName("mae")).setNumFolds(2).setParallelism(2).setSeed(3)
        .fit(data);
    Path saved = dir.resolve("cv");
    cv.write().save(saved.toString());

    CrossValidatorModel back = CrossValidatorModel.load(saved.toString());
    assertArrayEquals(cv.avgMetrics(), back.avgMetrics());
    SgdRegressor est = assertInstanceOf(SgdRegressor.class, back.getEstimator());
    assertEquals(reg.uid(), est.uid());
    assertEquals(2, est.getMaxEpochs());
    assertGridRestored(grid, back.getEstimatorParamMaps(), est);
    SgdRegressionModel best = assertInstanceOf(SgdRegressionModel.class, back.bestModel());
    assertEquals(cv.bestModel().uid(), best.uid());
    double[] expected = column(cv.transform(data), "prediction");
    assertArrayEquals(expected, column(back.transform(data), "prediction"));

    // The CLI predicts with the best model; the vector's slots carry the CSV's column names.
    Path out = dir.resolve("cv-preds.csv");
    CliRunner r = CliRunner.run("predict", "--model", saved.toString(), "--input", BOSTON, "--output", out.toString());
    assertEquals(0, r.code(), r.err());
    assertCliPredictions(expected, out);
  }

  @Test
  void trainValidationSplitModelSavesAndLoadsWithOurEstimatorInside() throws IOException {
    Dataset<Row> data = bostonVectors();
    SgdRegressor reg = new SgdRegressor().setMaxEpochs(2).setBatchSize(64).setPartitions(1).setEngine(JOBS)
        .setLearningRate(0.01);
    ParamMap[] grid = new ParamGridBuilder().addGrid(reg.hiddenLayers(), scala.jdk.javaapi.CollectionConverters
        .asScala(List.<int[]>of(new int[] {4}, new int[] {6, 3}))).build();
    TrainValidationSplitModel tvs = new TrainValidationSplit().setEstimator(reg).setEstimatorParamMaps(grid)
        .setEvaluator(new RegressionEvaluator()).setTrainRatio(0.75).setParallelism(2).setSeed(5).fit(data);
    String saved = dir.resolve("tvs").toString();
    tvs.write().save(saved);

    TrainValidationSplitModel back = TrainValidationSplitModel.load(saved);
    assertArrayEquals(tvs.validationMetrics(), back.validationMetrics());
    SgdRegressor est = assertInstanceOf(SgdRegressor.class, back.getEstimator());
    assertGridRestored(grid, back.getEstimatorParamMaps(), est);
    assertArrayEquals(column(tvs.transform(data), "prediction"), column(back.transform(data), "prediction"));
  }

  /** Each loaded grid point sets the loaded estimator's own Params to the values saved. */
  static void assertGridRestored(ParamMap[] saved, ParamMap[] loaded, Params estimator) {
    assertEquals(saved.length, loaded.length);
    for (int i = 0; i < saved.length; i++) {
      List<ParamPair<?>> a = scala.jdk.javaapi.CollectionConverters.asJava(saved[i].toSeq());
      List<ParamPair<?>> b = scala.jdk.javaapi.CollectionConverters.asJava(loaded[i].toSeq());
      assertEquals(a.size(), b.size());
      for (int j = 0; j < a.size(); j++) {
        assertEquals(estimator.uid(), b.get(j).param().parent());
        assertEquals(a.get(j).param().name(), b.get(j).param().name());
        assertEquals(encode(a.get(j).param(), a.get(j).value()), encode(b.get(j).param(), b.get(j).value()));
      }
    }
  }

  @SuppressWarnings("unchecked")
  static String encode(Param<?> p, Object value) {
    return ((Param<Object>) p).jsonEncode(value);
  }

  /** AUC as the Mann-Whitney statistic: the share of (positive, negative) pairs ranked right, ties half. */
  static double aucByPairs(double[] score, double[] label) {
    double right = 0;
    long pairs = 0;
    for (int i = 0; i < score.length; i++) {
      for (int j = 0; j < score.length; j++) {
        if (label[i] == 1 && label[j] == 0) {
          pairs++;
          right += score[i] > score[j] ? 1 : score[i] == score[j] ? 0.5 : 0;
        }
      }
    }
    return right / pairs;
  }

  @Test
  void classifierPipelineWorksWithSparksEvaluatorsBeforeAndAfterSaving() throws IOException {
    Dataset<Row> df = csv("src/main/resources/datasets/breast_cancer.csv");
    Dataset<Row>[] split = df.withColumn("label", df.col("benign").cast("double"))
        .randomSplit(new double[] {0.8, 0.2}, 42);
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(inputs(df, "benign")).setOutputCol("raw"),
        new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true),
        new SgdClassifier().setHiddenLayers(8).setMaxEpochs(5).setLearningRate(0.01).setPartitions(1)
            .setEngine(JOBS)})
        .fit(split[0]);
    Dataset<Row> out = model.transform(split[1]);
    List<Row> rows = out.select("rawPrediction", "prediction", "label").collectAsList();
    double[] score = rows.stream().mapToDouble(r -> ((Vector) r.get(0)).apply(1)).toArray();
    double[] label = rows.stream().mapToDouble(r -> r.getDouble(2)).toArray();
    double right = rows.stream().filter(r -> r.getDouble(1) == r.getDouble(2)).count();

    double auc = new BinaryClassificationEvaluator().setMetricName("areaUnderROC").evaluate(out);
    assertEquals(aucByPairs(score, label), auc, 1e-12);
    assertTrue(auc > 0.95, "areaUnderROC " + auc);
    MulticlassClassificationEvaluator multi = new MulticlassClassificationEvaluator().setMetricName("accuracy");
    double accuracy = multi.evaluate(out);
    assertEquals(right / rows.size(), accuracy, 1e-12);
    assertTrue(accuracy > 0.9, "accuracy " + accuracy);

    String saved = dir.resolve("classifier-pipeline").toString();
    model.save(saved);
    Dataset<Row> again = PipelineModel.load(saved).transform(split[1]);
    assertEquals(auc, new BinaryClassificationEvaluator().evaluate(again));
    assertEquals(accuracy, multi.evaluate(again));
    assertEquals(out.select("rawPrediction", "probability", "prediction").collectAsList(),
        again.select("rawPrediction", "probability", "prediction").collectAsList());
  }

  @Test
  void softmaxClassifierSavesAndLoadsInAPipeline() throws IOException {
    Dataset<Row> df = csv("src/main/resources/datasets/digits.csv");
    Dataset<Row>[] split = df.withColumn("label", df.col("digit").cast("double"))
        .randomSplit(new double[] {0.8, 0.2}, 1);
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(inputs(df, "digit")).setOutputCol("features"),
        new SgdClassifier().setHiddenLayers(16).setMaxEpochs(3).setBatchSize(64).setLearningRate(0.01)
            .setPartitions(1).setEngine(JOBS).setProbabilityCol("p")})
        .fit(split[0]);
    String saved = dir.resolve("digits").toString();
    model.save(saved);
    PipelineModel back = PipelineModel.load(saved);
    SgdClassificationModel m = assertInstanceOf(SgdClassificationModel.class, back.stages()[1]);
    assertEquals(10, m.numClasses());
    assertEquals("p", m.getProbabilityCol());
    MulticlassClassificationEvaluator f1 = new MulticlassClassificationEvaluator().setMetricName("f1");
    double before = f1.evaluate(model.transform(split[1]));
    assertTrue(before > 0.8, "f1 " + before);
    assertEquals(before, f1.evaluate(back.transform(split[1])));
  }

  /** Every Param of an estimator, set to a value other than its default. */
  static <T extends SgdParamSetters<T>> T everyParamSet(T e) {
    return e.setHiddenLayers(5, 3).setActivation("tanh").setInitializer("he-uniform").setOptimizer("rmsprop")
        .setLearningRate(0.003).setWeightDecay(1e-4).setBatchSize(7).setMaxEpochs(3).setSeed(9).setPartitions(1)
        .setEngine("jobs").setPrecision("float32").setNormalize("minmax").setCheckpointDir(dir.resolve("never-used").toString())
        .setL1(0.02).setElasticNetParam(0.4).setClipNorm(5.0).setWeightCol("w");
  }

  static void assertSameParams(Params a, Params b) {
    assertEquals(a.uid(), b.uid());
    assertEquals(a.params().length, b.params().length);
    for (Param<?> p : a.params()) {
      Param<?> q = b.getParam(p.name());
      assertEquals(a.isSet(p), b.isSet(q), p.name());
      assertEquals(a.hasDefault(p), b.hasDefault(q), p.name());
      if (a.isDefined(p)) {
        assertEquals(encode(p, a.getOrDefault(p)), encode(q, b.getOrDefault(q)), p.name());
      }
    }
  }

  @Test
  void estimatorsSaveAndLoadWithEveryParam() throws Exception {
    SgdRegressor reg = everyParamSet(new SgdRegressor()).setFeaturesCol("f").setLabelCol("y").setPredictionCol("yhat");
    SgdClassifier cls = everyParamSet(new SgdClassifier()).setFeaturesCol("f").setLabelCol("y")
        .setRawPredictionCol("logits").setProbabilityCol("p").setThresholds(new double[] {0.3, 0.7});
    for (SgdParams e : List.<SgdParams>of(reg, cls)) { // the test sets every training Param off its default
      for (java.lang.reflect.Field f : SgdParamSet.class.getDeclaredFields()) {
        if (f.isSynthetic() || java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
          continue;
        }
        Param<?> p = (Param<?>) f.get(e.sgdParams());
        assertTrue(e.isSet(p), p.name() + " is left unset");
        assertNotEquals(encode(p, e.getDefault(p).get()), encode(p, e.getOrDefault(p)), p.name());
      }
    }
    reg.write().save(dir.resolve("regressor").toString());
    cls.save(dir.resolve("classifier").toString());
    SgdRegressor regBack = SgdRegressor.load(dir.resolve("regressor").toString());
    SgdClassifier clsBack = SgdClassifier.load(dir.resolve("classifier").toString());
    assertSameParams(reg, regBack);
    assertSameParams(cls, clsBack);
    assertEquals(SgdRegressor.class.getName(), metadata(dir.resolve("regressor")).get("class").asText());
    assertThrows(IllegalArgumentException.class, () -> SgdRegressor.load(dir.resolve("classifier").toString()));
    // The penalty and clipping Params reach the job keys they name.
    sparksgd.job.OptimizerSpec o = EstimatorTraining.job(regBack, "y", "mse", 0).optimizer();
    assertEquals(List.of(0.02, 0.4, 5.0), List.of(o.l1(), o.elasticNet(), o.clipNorm()));

    // An unfitted Pipeline with our estimator saves and loads, and the loaded one trains the same model.
    Dataset<Row> df = csv(BOSTON);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(inputs(df, "MEDV")).setOutputCol("f"),
        new SgdRegressor().setFeaturesCol("f").setLabelCol("MEDV").setHiddenLayers(4).setMaxEpochs(2)
            .setPartitions(1).setEngine(JOBS)});
    pipeline.write().save(dir.resolve("unfitted").toString());
    Pipeline loaded = Pipeline.load(dir.resolve("unfitted").toString());
    assertSameParams(pipeline.getStages()[1], loaded.getStages()[1]);
    assertArrayEquals(column(pipeline.fit(df).transform(df), "prediction"),
        column(loaded.fit(df).transform(df), "prediction"));
  }

  @Test
  void modelsSavedByThePreviousLayoutStillLoad() throws IOException {
    Path legacy = Path.of("src/test/resources/legacy-spark-ml");
    Dataset<Row> boston = bostonVectors().limit(5);
    SgdRegressionModel reg = SgdRegressionModel.load(legacy.resolve("regression").toString());
    assertEquals("sgdRegModel_24bd24d84337", reg.uid());
    assertEquals("price", reg.getPredictionCol());
    assertArrayEquals(new int[] {4}, reg.getHiddenLayers());
    assertEquals(0.01, reg.getLearningRate());
    assertClose(expected(legacy.resolve("regression-first5.txt")), column(reg.transform(boston), "price"));

    Dataset<Row> cancer = csv("src/main/resources/datasets/breast_cancer.csv");
    Dataset<Row> cv = new VectorAssembler().setInputCols(inputs(cancer, "benign")).setOutputCol("features")
        .transform(cancer).limit(5);
    SgdClassificationModel cls = SgdClassificationModel.load(legacy.resolve("classification").toString());
    assertEquals("p", cls.getProbabilityCol());
    double[] p1 = cls.transform(cv).select("p").collectAsList().stream()
        .mapToDouble(r -> ((Vector) r.get(0)).apply(1)).toArray();
    assertClose(expected(legacy.resolve("classification-first5.txt")), p1);

    // Saved again, it is in Spark ML's layout and a Pipeline can hold it.
    String resaved = dir.resolve("legacy-resaved").toString();
    new PipelineModel("legacyPipe", new org.apache.spark.ml.Transformer[] {reg}).save(resaved);
    PipelineModel back = PipelineModel.load(resaved);
    assertEquals(reg.uid(), back.stages()[0].uid());
    assertArrayEquals(column(reg.transform(boston), "price"), column(back.transform(boston), "price"));
  }

  static double[] expected(Path file) throws IOException {
    return Files.readAllLines(file).stream().mapToDouble(Double::parseDouble).toArray();
  }

  /** Saved on this machine's BLAS; another BLAS may round the last bits differently. */
  static void assertClose(double[] expected, double[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-12 * Math.max(1, Math.abs(expected[i])), "row " + i);
    }
  }

  /** The CLI's prediction column (the last) against Spark ML's, row by row. */
  static void assertCliPredictions(double[] expected, Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    assertEquals(expected.length + 1, lines.size());
    double[] cli = lines.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(',') + 1)))
        .toArray();
    // The CLI scores rows in blocks, Spark ML one row at a time: BLAS may round the last bit differently.
    assertClose(expected, cli);
  }

  @Test
  void predictAndEvaluateReadAStageFolderAndAPipelineFolder() throws IOException {
    Dataset<Row> df = csv(BOSTON);
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(inputs(df, "MEDV")).setOutputCol("features"),
        new SgdRegressor().setLabelCol("MEDV").setHiddenLayers(8).setMaxEpochs(3).setPartitions(1).setEngine(JOBS)})
        .fit(df.randomSplit(new double[] {0.7, 0.3}, 11)[0]);
    String pipeline = dir.resolve("cli-pipeline").toString();
    String stage = dir.resolve("cli-stage").toString();
    model.save(pipeline);
    ((SgdRegressionModel) model.stages()[1]).save(stage);
    Dataset<Row> scored = model.transform(df);
    double[] expected = column(scored, "prediction");

    Path fromPipeline = dir.resolve("from-pipeline.csv");
    CliRunner p = CliRunner.run("predict", "--model", pipeline, "--input", BOSTON, "--output", fromPipeline.toString());
    assertEquals(0, p.code(), p.err());
    assertCliPredictions(expected, fromPipeline);
    Path fromStage = dir.resolve("from-stage.csv");
    CliRunner s = CliRunner.run("predict", "--model", stage, "--input", BOSTON, "--output", fromStage.toString());
    assertEquals(0, s.code(), s.err());
    assertEquals(Files.readAllLines(fromPipeline), Files.readAllLines(fromStage));

    Path metrics = dir.resolve("eval.json");
    CliRunner e = CliRunner.run("evaluate", "--model", pipeline, "--input", BOSTON, "--output", metrics.toString());
    assertEquals(0, e.code(), e.err());
    JsonNode m = new ObjectMapper().readTree(metrics.toFile());
    for (String metric : List.of("mae", "rmse", "r2")) {
      double spark = new RegressionEvaluator().setLabelCol("MEDV").setMetricName(metric).evaluate(scored);
      assertEquals(spark, m.get(metric).asDouble(), 1e-9 * Math.abs(spark), metric);
    }
  }
}
