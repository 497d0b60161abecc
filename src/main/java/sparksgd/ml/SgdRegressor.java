package sparksgd.ml;

import org.apache.spark.ml.Predictor;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Spark ML Estimator for linear (no hidden layers) and MLP regression by synchronous data-parallel
 * mini-batch SGD, on a features vector column and a numeric label. Trains with the CLI's engine,
 * models and optimizers; MSE loss.
 */
public final class SgdRegressor extends Predictor<Vector, SgdRegressor, SgdRegressionModel>
    implements SgdParamSetters<SgdRegressor>, DefaultParamsWritable {
  private String uid; // set by the first uid() call, made by Spark's Params during super construction
  private final SgdParamSet params;

  public SgdRegressor() {
    this(Identifiable$.MODULE$.randomUID("sgdReg"));
  }

  public SgdRegressor(String uid) {
    this(Uids.stash(uid));
  }

  private SgdRegressor(Uids.Marker stashed) {
    uid();
    this.params = new SgdParamSet(this);
    SgdParams.setDefaults(this);
  }

  @Override
  public SgdParamSet sgdParams() {
    return params;
  }

  /** The model a fit starts from (weights and feature statistics; fresh optimizer state); not saved with the estimator. */
  private SgdRegressionModel initialModel;

  /** Warm start, as MLlib's KMeans/GBT setInitialModel: fits start from {@code model}'s weights; null = fresh. */
  public SgdRegressor setInitialModel(SgdRegressionModel model) {
    this.initialModel = model;
    return this;
  }

  public SgdRegressionModel getInitialModel() {
    return initialModel;
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = Uids.take("sgdReg");
    }
    return uid;
  }

  @Override
  public SgdRegressionModel train(Dataset<?> dataset) {
    @SuppressWarnings("unchecked")
    Dataset<Row> df = (Dataset<Row>) dataset;
    var job = EstimatorTraining.job(this, getLabelCol(), "mse", 0);
    SgdRegressionModel m = new SgdRegressionModel(Identifiable$.MODULE$.randomUID("sgdRegModel"),
        EstimatorTraining.fit(df, getFeaturesCol(), getLabelCol(), job,
            initialModel == null ? null : initialModel.trained()));
    return copyValues(m, extractParamMap()).setParent(this);
  }

  @Override
  public SgdRegressor copy(ParamMap extra) {
    SgdRegressor c = defaultCopy(extra);
    c.initialModel = initialModel; // tuning fits copies: they start from the same model
    return c;
  }

  /**
   * Spark ML's reader ({@code DefaultParamsReader}): an estimator saved with {@code write().save(path)},
   * alone or inside a saved Pipeline, CrossValidator or TrainValidationSplit, comes back with its uid and
   * every Param. Static, as Spark's loaders look it up; a Java class cannot also implement
   * {@code DefaultParamsReadable}, whose {@code read()} is an instance method of a Scala companion.
   */
  public static MLReader<SgdRegressor> read() {
    return ModelIo.estimatorReader(SgdRegressor.class);
  }

  public static SgdRegressor load(String path) {
    return read().load(path);
  }
}
