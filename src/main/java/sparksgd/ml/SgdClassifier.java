package sparksgd.ml;

import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Spark ML Estimator for classification with the same Dense stacks: labels 0/1 train a sigmoid output
 * with binary cross-entropy, labels 0..K-1 (K > 2) a softmax output with categorical cross-entropy.
 * Trains with the CLI's engine, models and optimizers.
 */
public final class SgdClassifier extends ProbabilisticClassifier<Vector, SgdClassifier, SgdClassificationModel>
    implements SgdParamSetters<SgdClassifier>, DefaultParamsWritable {
  private String uid; // set by the first uid() call, made by Spark's Params during super construction
  private final SgdParamSet params;

  public SgdClassifier() {
    this(Identifiable$.MODULE$.randomUID("sgdCls"));
  }

  public SgdClassifier(String uid) {
    this(Uids.stash(uid));
  }

  private SgdClassifier(Uids.Marker stashed) {
    uid();
    this.params = new SgdParamSet(this);
    SgdParams.setDefaults(this);
  }

  @Override
  public SgdParamSet sgdParams() {
    return params;
  }

  /** The model a fit starts from (weights and feature statistics; fresh optimizer state); not saved with the estimator. */
  private SgdClassificationModel initialModel;

  /** Warm start, as MLlib's KMeans/GBT setInitialModel: fits start from {@code model}'s weights; null = fresh. */
  public SgdClassifier setInitialModel(SgdClassificationModel model) {
    this.initialModel = model;
    return this;
  }

  public SgdClassificationModel getInitialModel() {
    return initialModel;
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = Uids.take("sgdCls");
    }
    return uid;
  }

  @Override
  public SgdClassificationModel train(Dataset<?> dataset) {
    @SuppressWarnings("unchecked")
    Dataset<Row> df = (Dataset<Row>) dataset;
    Row max = df.agg(functions.max(df.col(getLabelCol()))).first();
    if (max.isNullAt(0)) {
      throw new IllegalArgumentException("no rows with a label in column " + getLabelCol());
    }
    int classes = Math.max(2, (int) Math.round(max.getDouble(0)) + 1);
    var job = EstimatorTraining.job(this, getLabelCol(), classes == 2 ? "bce" : "softmax", classes == 2 ? 0 : classes);
    SgdClassificationModel m = new SgdClassificationModel(Identifiable$.MODULE$.randomUID("sgdClsModel"),
        EstimatorTraining.fit(df, getFeaturesCol(), getLabelCol(), job,
            initialModel == null ? null : initialModel.trained()));
    return copyValues(m, extractParamMap()).setParent(this);
  }

  @Override
  public SgdClassifier copy(ParamMap extra) {
    SgdClassifier c = defaultCopy(extra);
    c.initialModel = initialModel; // tuning fits copies: they start from the same model
    return c;
  }

  /**
   * Spark ML's reader ({@code DefaultParamsReader}): an estimator saved with {@code write().save(path)},
   * alone or inside a saved Pipeline, CrossValidator or TrainValidationSplit, comes back with its uid and
   * every Param. Static, as Spark's loaders look it up; a Java class cannot also implement
   * {@code DefaultParamsReadable}, whose {@code read()} is an instance method of a Scala companion.
   */
  public static MLReader<SgdClassifier> read() {
    return ModelIo.estimatorReader(SgdClassifier.class);
  }

  public static SgdClassifier load(String path) {
    return read().load(path);
  }
}
