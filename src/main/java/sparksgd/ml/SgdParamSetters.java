package sparksgd.ml;

import org.apache.spark.ml.param.Params;

/**
 * The fluent setters of the estimators' Params, typed to the estimator ({@code T}); one place for
 * both {@link SgdRegressor} and {@link SgdClassifier}.
 */
public interface SgdParamSetters<T extends SgdParamSetters<T>> extends SgdParams {
  @SuppressWarnings("unchecked")
  private T self(Params p) {
    return (T) p;
  }

  default T setHiddenLayers(int... value) {
    return self(set(hiddenLayers(), value));
  }

  default T setActivation(String value) {
    return self(set(activation(), value));
  }

  default T setInitializer(String value) {
    return self(set(initializer(), value));
  }

  default T setOptimizer(String value) {
    return self(set(optimizer(), value));
  }

  default T setLearningRate(double value) {
    return self(set(learningRate(), value));
  }

  default T setWeightDecay(double value) {
    return self(set(weightDecay(), value));
  }

  default T setBatchSize(int value) {
    return self(set(batchSize(), value));
  }

  default T setMaxEpochs(int value) {
    return self(set(maxEpochs(), value));
  }

  default T setSeed(long value) {
    return self(set(seed(), value));
  }

  default T setPartitions(int value) {
    return self(set(partitions(), value));
  }

  default T setEngine(String value) {
    return self(set(engine(), value));
  }

  default T setPrecision(String value) {
    return self(set(precision(), value));
  }

  default T setNormalize(String value) {
    return self(set(normalize(), value));
  }

  default T setL1(double value) {
    return self(set(l1(), value));
  }

  default T setElasticNetParam(double value) {
    return self(set(elasticNetParam(), value));
  }

  default T setWeightCol(String value) {
    return self(set(weightCol(), value));
  }

  default T setClipNorm(double value) {
    return self(set(clipNorm(), value));
  }

  default T setCheckpointDir(String value) {
    return self(set(checkpointDir(), value));
  }
}
