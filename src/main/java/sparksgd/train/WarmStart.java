package sparksgd.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import sparksgd.job.JobConfigException;
import sparksgd.job.JobSpec;
import sparksgd.model.Model;
import sparksgd.model.ParamLayout;
import sparksgd.store.HadoopFiles;
import sparksgd.store.StoreException;

/**
 * {@code model.init-from}: training starts from the weights of a saved model (a model folder, or a run
 * folder's {@code model/}) instead of fresh ones. Its shapes, loss and feature columns must be this job's
 * (else one {@code error:} line naming the key, exit 2: it is the job that does not fit the model). The
 * optimizer state starts fresh: a model folder holds no momentum or moments, and the new data and
 * schedule make old ones meaningless anyway.
 */
public final class WarmStart {
  private WarmStart() {}

  /** The model in {@code uri} (a model folder) or {@code uri/model} (a run folder). */
  public static TrainedModel load(Configuration conf, String uri) {
    String dir = uri;
    if (!HadoopFiles.exists(conf, new Path(HadoopFiles.path(uri), "model.json"))
        && HadoopFiles.exists(conf, new Path(new Path(HadoopFiles.path(uri), "model"), "model.json"))) {
      dir = new Path(HadoopFiles.path(uri), "model").toString();
    }
    try {
      return ModelFiles.load(conf, dir);
    } catch (StoreException e) {
      throw new JobConfigException("model.init-from", e.getMessage() + " (give a run folder or its model/ folder)");
    }
  }

  /**
   * The start state for {@link TrainingRun.Start}: {@code from}'s weights (checked against the model
   * the job builds) and a fresh optimizer state.
   */
  public static Function<Model, TrainerState> initial(JobSpec job, TrainedModel from, List<String> features) {
    return initial(job, from, features, job.model().initFrom());
  }

  /** As above; {@code source} names the model in messages; {@code features} null skips the name check. */
  public static Function<Model, TrainerState> initial(JobSpec job, TrainedModel from, List<String> features,
      String source) {
    String uri = source;
    return model -> {
      check(uri, from, model, job.model().loss().toString(), features);
      double[] params = from.params().clone();
      return new TrainerState(params, Components.optimizer(job.optimizer()).initialise(params.length), 0, 0);
    };
  }

  static void check(String uri, TrainedModel from, Model model, String loss, List<String> features) {
    String have = shapes(from.model().layout()) + " (" + from.loss().name() + ")";
    String want = shapes(model.layout()) + " (" + loss + ")";
    if (!have.equals(want)) {
      throw new JobConfigException("model.init-from", uri + " holds a model " + have + " but this job builds "
          + want);
    }
    if (features != null && !from.features().equals(features)) {
      throw new JobConfigException("model.init-from", uri + " was trained on features " + from.features()
          + " but this job's are " + features);
    }
  }

  /** e.g. {@code W1[13x64] b1[64] W2[64x1] b2[1]}. */
  static String shapes(ParamLayout layout) {
    List<String> parts = new ArrayList<>();
    for (ParamLayout.Tensor t : layout.tensors()) {
      StringBuilder sb = new StringBuilder(t.name()).append('[');
      for (int i = 0; i < t.shape().length; i++) {
        sb.append(i == 0 ? "" : "x").append(t.shape()[i]);
      }
      parts.add(sb.append(']').toString());
    }
    return String.join(" ", parts);
  }
}
