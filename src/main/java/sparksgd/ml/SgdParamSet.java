package sparksgd.ml;

import java.io.Serializable;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * The training Params of the spark-sgd estimators, owned by one estimator instance (Spark ML requires
 * every Param to belong to its owner's uid). Names, defaults and allowed values follow the job keys
 * they set, see {@link SgdParams}.
 */
final class SgdParamSet implements Serializable {
  final IntArrayParam hiddenLayers;
  final Param<String> activation;
  final Param<String> initializer;
  final Param<String> optimizer;
  final DoubleParam learningRate;
  final DoubleParam weightDecay;
  final IntParam batchSize;
  final IntParam maxEpochs;
  final LongParam seed;
  final IntParam partitions;
  final Param<String> engine;
  final Param<String> normalize;
  final Param<String> checkpointDir;
  final Param<String> precision;
  final DoubleParam l1;
  final DoubleParam elasticNetParam;
  final DoubleParam clipNorm;
  final Param<String> weightCol;

  SgdParamSet(Params owner) {
    hiddenLayers = new IntArrayParam(owner, "hiddenLayers",
        "hidden layer widths, e.g. [64, 64]; empty = a linear model (model.hidden)");
    activation = new Param<>(owner, "activation", "hidden activation: relu, tanh or sigmoid (model.activation)",
        ParamValidators.inArray(new String[] {"relu", "tanh", "sigmoid"}));
    initializer = new Param<>(owner, "initializer", "glorot-uniform, he-normal or he-uniform (model.initializer)",
        ParamValidators.inArray(new String[] {"glorot-uniform", "he-normal", "he-uniform"}));
    optimizer = new Param<>(owner, "optimizer", "sgd, rmsprop or adam (optimizer.type)",
        ParamValidators.inArray(new String[] {"sgd", "rmsprop", "adam"}));
    learningRate = new DoubleParam(owner, "learningRate", "step size > 0 (optimizer.learning-rate)",
        ParamValidators.gt(0));
    weightDecay = new DoubleParam(owner, "weightDecay", "L2 penalty >= 0 (optimizer.weight-decay)",
        ParamValidators.gtEq(0));
    batchSize = new IntParam(owner, "batchSize", "rows per global mini-batch >= 1 (training.batch-size)",
        ParamValidators.gtEq(1));
    maxEpochs = new IntParam(owner, "maxEpochs", "passes over the data >= 1 (training.epochs)",
        ParamValidators.gtEq(1));
    seed = new LongParam(owner, "seed", "seed of initial weights and batch order (training.seed)");
    partitions = new IntParam(owner, "partitions", "partitions = gradient tasks per step >= 1 (training.partitions)",
        ParamValidators.gtEq(1));
    engine = new Param<>(owner, "engine", "auto (local under a local master, else gang), gang (one long-lived "
        + "barrier stage), jobs (a Spark job per step) or local (steps in the driver; local masters) (training.engine)",
        ParamValidators.inArray(new String[] {"auto", "gang", "jobs", "local"}));
    normalize = new Param<>(owner, "normalize", "feature scaling inside the model: standard, minmax, maxabs or "
        + "none (data.normalize)", ParamValidators.inArray(new String[] {"standard", "minmax", "maxabs", "none"}));
    checkpointDir = new Param<>(owner, "checkpointDir", "Hadoop URI for checkpoints; a fit resumes from the newest "
        + "valid one there; empty = none (checkpoint.dir)");
    precision = new Param<>(owner, "precision", "float64 or float32: width of the cached rows, parameters, "
        + "gradients and model math (training.precision)", ParamValidators.inArray(new String[] {"float64", "float32"}));
    l1 = new DoubleParam(owner, "l1", "elastic-net strength >= 0 on weights, never biases, as MLlib's regParam "
        + "(optimizer.l1)", ParamValidators.gtEq(0));
    elasticNetParam = new DoubleParam(owner, "elasticNetParam", "the elastic-net mix in [0, 1], as MLlib's: "
        + "1 = lasso, 0 = ridge (optimizer.elastic-net)", ParamValidators.inRange(0, 1));
    clipNorm = new DoubleParam(owner, "clipNorm", "> 0: clip the mean gradient to this global L2 norm; 0 = off "
        + "(optimizer.clip-norm)", ParamValidators.gtEq(0));
    weightCol = new Param<>(owner, "weightCol", "numeric column of sample weights >= 0, as MLlib's weightCol; "
        + "empty = every row weighs 1 (data.weight)");
  }
}
