package sparksgd.ml;

import org.apache.spark.ml.Predictor;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Spark ML Estimator for linear (no hidden layers) and MLP regression by synchronous data-parallel
 * mini-batch SGD, on a features vector column and a numeric label. Trains with the CLI's engine,
 * models and optimizers; MSE loss.
 */
public final class SgdRegressor extends Predictor<Vector, SgdRegressor, SgdRegressionModel> implements SgdParams {
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

  @Override
  public String uid() {
    if (uid == null) {
      uid = Uids.take("sgdReg");
    }
    return uid;
  }

  public SgdRegressor setHiddenLayers(int... value) {
    return (SgdRegressor) set(hiddenLayers(), value);
  }

  public SgdRegressor setActivation(String value) {
    return (SgdRegressor) set(activation(), value);
  }

  public SgdRegressor setInitializer(String value) {
    return (SgdRegressor) set(initializer(), value);
  }

  public SgdRegressor setOptimizer(String value) {
    return (SgdRegressor) set(optimizer(), value);
  }

  public SgdRegressor setLearningRate(double value) {
    return (SgdRegressor) set(learningRate(), value);
  }

  public SgdRegressor setWeightDecay(double value) {
    return (SgdRegressor) set(weightDecay(), value);
  }

  public SgdRegressor setBatchSize(int value) {
    return (SgdRegressor) set(batchSize(), value);
  }

  public SgdRegressor setMaxEpochs(int value) {
    return (SgdRegressor) set(maxEpochs(), value);
  }

  public SgdRegressor setSeed(long value) {
    return (SgdRegressor) set(seed(), value);
  }

  public SgdRegressor setPartitions(int value) {
    return (SgdRegressor) set(partitions(), value);
  }

  public SgdRegressor setEngine(String value) {
    return (SgdRegressor) set(engine(), value);
  }

  public SgdRegressor setNormalize(String value) {
    return (SgdRegressor) set(normalize(), value);
  }

  public SgdRegressor setCheckpointDir(String value) {
    return (SgdRegressor) set(checkpointDir(), value);
  }

  @Override
  public SgdRegressionModel train(Dataset<?> dataset) {
    @SuppressWarnings("unchecked")
    Dataset<Row> df = (Dataset<Row>) dataset;
    var job = EstimatorTraining.job(this, getLabelCol(), "mse", 0);
    SgdRegressionModel m = new SgdRegressionModel(Identifiable$.MODULE$.randomUID("sgdRegModel"),
        EstimatorTraining.fit(df, getFeaturesCol(), getLabelCol(), job));
    return copyValues(m, extractParamMap()).setParent(this);
  }

  @Override
  public SgdRegressor copy(ParamMap extra) {
    return defaultCopy(extra);
  }
}
