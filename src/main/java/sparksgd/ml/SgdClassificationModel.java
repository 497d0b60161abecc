package sparksgd.ml;

import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import sparksgd.train.TrainedModel;

/**
 * A fitted {@link SgdClassifier}: adds {@code rawPrediction} (logits; {@code [0, z]} for a binary
 * model, whose softmax is {@code [1 - sigmoid(z), sigmoid(z)]}), {@code probability} and
 * {@code prediction}.
 */
public final class SgdClassificationModel extends ProbabilisticClassificationModel<Vector, SgdClassificationModel>
    implements MLWritable, SgdParams {
  private String uid; // set by the first uid() call, made by Spark's Params during super construction
  private final TrainedModel trained;
  private final SgdParamSet params;

  SgdClassificationModel(String uid, TrainedModel trained) {
    this(Uids.stash(uid), trained);
  }

  private SgdClassificationModel(Uids.Marker stashed, TrainedModel trained) {
    uid();
    this.trained = trained;
    this.params = new SgdParamSet(this);
    SgdParams.setDefaults(this);
  }

  /** The estimator's training Params, copied at fit time (defaults for a model the CLI trained). */
  @Override
  public SgdParamSet sgdParams() {
    return params;
  }

  public TrainedModel trained() {
    return trained;
  }

  private boolean binary() {
    return trained.loss().name().equals("bce");
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = Uids.take("sgdClsModel");
    }
    return uid;
  }

  @Override
  public int numClasses() {
    return binary() ? 2 : trained.model().outputs();
  }

  @Override
  public int numFeatures() {
    return trained.features().size();
  }

  @Override
  public Vector predictRaw(Vector features) {
    double[] z = trained.logits(features.toArray().clone(), 1);
    return binary() ? Vectors.dense(0, z[0]) : Vectors.dense(z);
  }

  @Override
  public Vector raw2probabilityInPlace(Vector rawPrediction) {
    double[] v = ((DenseVector) rawPrediction).values();
    double max = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      max = Math.max(max, x);
    }
    double sum = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.exp(v[i] - max);
      sum += v[i];
    }
    for (int i = 0; i < v.length; i++) {
      v[i] /= sum;
    }
    return rawPrediction;
  }

  /** Java sees two inherited signatures of this Scala method; Spark's own implementation is the one meant. */
  @Override
  @SuppressWarnings("rawtypes")
  public scala.Tuple3 findSummaryModel() { // raw: the two inherited generic signatures differ
    return super.findSummaryModel();
  }

  @Override
  public SgdClassificationModel copy(ParamMap extra) {
    return copyValues(new SgdClassificationModel(uid, trained), extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return ModelIo.writer(trained, this);
  }

  @Override
  public void save(String path) throws java.io.IOException {
    write().save(path);
  }

  public static MLReader<SgdClassificationModel> read() {
    return ModelIo.reader(SgdClassificationModel.class, "sgdClsModel", l -> {
      if (l.trained().loss().name().equals("mse")) {
        throw new IllegalArgumentException("the model is a regression model; load it with SgdRegressionModel.load");
      }
      return new SgdClassificationModel(l.uid(), l.trained());
    });
  }

  /**
   * Loads a model saved by {@link #save} (Spark ML's layout, or the one written before it), or by the
   * CLI's train command with model.loss = bce or softmax.
   */
  public static SgdClassificationModel load(String path) {
    return read().load(path);
  }
}
