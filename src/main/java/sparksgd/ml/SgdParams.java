package sparksgd.ml;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * Typed Params shared by {@link SgdRegressor} and {@link SgdClassifier}. Each one sets the job key in
 * brackets; defaults are those of the CLI's reference.conf except where noted.
 */
public interface SgdParams extends Params {
  /** The Param objects of this instance. */
  SgdParamSet sgdParams();

  default IntArrayParam hiddenLayers() {
    return sgdParams().hiddenLayers;
  }

  default Param<String> activation() {
    return sgdParams().activation;
  }

  default Param<String> initializer() {
    return sgdParams().initializer;
  }

  default Param<String> optimizer() {
    return sgdParams().optimizer;
  }

  default DoubleParam learningRate() {
    return sgdParams().learningRate;
  }

  default DoubleParam weightDecay() {
    return sgdParams().weightDecay;
  }

  default IntParam batchSize() {
    return sgdParams().batchSize;
  }

  default IntParam maxEpochs() {
    return sgdParams().maxEpochs;
  }

  default LongParam seed() {
    return sgdParams().seed;
  }

  default IntParam partitions() {
    return sgdParams().partitions;
  }

  default Param<String> engine() {
    return sgdParams().engine;
  }

  default Param<String> precision() {
    return sgdParams().precision;
  }

  default String getPrecision() {
    return getOrDefault(precision());
  }

  default Param<String> normalize() {
    return sgdParams().normalize;
  }

  default DoubleParam l1() {
    return sgdParams().l1;
  }

  default DoubleParam elasticNetParam() {
    return sgdParams().elasticNetParam;
  }

  default DoubleParam clipNorm() {
    return sgdParams().clipNorm;
  }

  default Param<String> weightCol() {
    return sgdParams().weightCol;
  }

  default String getWeightCol() {
    return getOrDefault(weightCol());
  }

  default double getL1() {
    return (Double) getOrDefault(l1());
  }

  default double getElasticNetParam() {
    return (Double) getOrDefault(elasticNetParam());
  }

  default double getClipNorm() {
    return (Double) getOrDefault(clipNorm());
  }

  default Param<String> checkpointDir() {
    return sgdParams().checkpointDir;
  }

  default int[] getHiddenLayers() {
    return (int[]) getOrDefault(hiddenLayers());
  }

  default String getActivation() {
    return getOrDefault(activation());
  }

  default String getOptimizer() {
    return getOrDefault(optimizer());
  }

  default double getLearningRate() {
    return (Double) getOrDefault(learningRate());
  }

  default int getBatchSize() {
    return (Integer) getOrDefault(batchSize());
  }

  default int getMaxEpochs() {
    return (Integer) getOrDefault(maxEpochs());
  }

  default long getSeed() {
    return (Long) getOrDefault(seed());
  }

  default int getPartitions() {
    return (Integer) getOrDefault(partitions());
  }

  default String getEngine() {
    return getOrDefault(engine());
  }

  default String getCheckpointDir() {
    return getOrDefault(checkpointDir());
  }

  /** Called by constructors: the defaults. */
  static void setDefaults(SgdParams p) {
    p.setDefault(p.hiddenLayers(), new int[0]);
    p.setDefault(p.activation(), "relu");
    p.setDefault(p.initializer(), "glorot-uniform");
    p.setDefault(p.optimizer(), "adam"); // (reference.conf: sgd) a library user gets a robust default
    p.setDefault(p.learningRate(), 0.001);
    p.setDefault(p.weightDecay(), 0.0);
    p.setDefault(p.batchSize(), 32);
    p.setDefault(p.maxEpochs(), 20);
    p.setDefault(p.seed(), 42L);
    p.setDefault(p.partitions(), 2);
    p.setDefault(p.engine(), "auto");
    p.setDefault(p.precision(), "float64");
    p.setDefault(p.normalize(), "standard");
    p.setDefault(p.checkpointDir(), "");
    p.setDefault(p.l1(), 0.0);
    p.setDefault(p.elasticNetParam(), 1.0);
    p.setDefault(p.clipNorm(), 0.0);
    p.setDefault(p.weightCol(), "");
  }
}
