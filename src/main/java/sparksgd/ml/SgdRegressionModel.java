package sparksgd.ml;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import sparksgd.train.TrainedModel;

/** A fitted {@link SgdRegressor}: adds the prediction column (label units). */
public final class SgdRegressionModel extends RegressionModel<Vector, SgdRegressionModel> implements MLWritable, SgdParams {
  private String uid; // set by the first uid() call, made by Spark's Params during super construction
  private final TrainedModel trained;
  private final SgdParamSet params;

  SgdRegressionModel(String uid, TrainedModel trained) {
    this(Uids.stash(uid), trained);
  }

  private SgdRegressionModel(Uids.Marker stashed, TrainedModel trained) {
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

  /** The CLI's representation: network, loss, parameters and normalization statistics. */
  public TrainedModel trained() {
    return trained;
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = Uids.take("sgdRegModel");
    }
    return uid;
  }

  @Override
  public int numFeatures() {
    return trained.features().size();
  }

  @Override
  public double predict(Vector features) {
    return trained.predictRaw(features.toArray().clone(), 1)[0];
  }

  @Override
  public SgdRegressionModel copy(ParamMap extra) {
    return copyValues(new SgdRegressionModel(uid, trained), extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return ModelIo.writer(trained, this);
  }

  @Override
  public void save(String path) throws java.io.IOException {
    write().save(path);
  }

  public static MLReader<SgdRegressionModel> read() {
    return ModelIo.reader(SgdRegressionModel.class, "sgdRegModel", l -> {
      if (l.trained().model().outputs() != 1 || !l.trained().loss().name().equals("mse")) {
        throw new IllegalArgumentException("the model holds a " + l.trained().loss().name()
            + " classification model; load it with SgdClassificationModel.load");
      }
      return new SgdRegressionModel(l.uid(), l.trained());
    });
  }

  /**
   * Loads a model saved by {@link #save} (Spark ML's layout, or the one written before it), inside a
   * saved Pipeline or tuning model too, or by the CLI's train command ({@code <run>/model}).
   */
  public static SgdRegressionModel load(String path) {
    return read().load(path);
  }
}
