package sparksgd.sweep;

import java.util.Set;
import sparksgd.job.JobConfigException;
import sparksgd.job.JobSpec;

/**
 * What trials are ranked by: a key of the validation metrics and its direction. {@code sweep.metric}
 * "validation-loss" is the model's own loss (MSE, or log loss for classification); without
 * {@code sweep.direction}, accuracy, F1 and R² are maximized and the rest minimized.
 */
public record SweepMetric(String key, boolean maximize) {
  private static final Set<String> REGRESSION = Set.of("mae", "mse", "rmse", "r2");
  private static final Set<String> CLASSIFICATION = Set.of("accuracy", "logloss", "f1");

  public static SweepMetric of(SweepSpec spec, JobSpec job) {
    boolean cls = job.model().classification();
    String metric = spec.metric();
    String key = metric == null ? sparksgd.train.Metric.headline(job.model()).key()
        : metric.replaceFirst("^validation-", "");
    if (key.equals("loss")) {
      key = cls ? "logloss" : "mse";
    }
    Set<String> allowed = cls ? CLASSIFICATION : REGRESSION;
    if (!allowed.contains(key)) {
      throw new JobConfigException("sweep.metric", "'" + metric + "' does not fit model.loss = " + job.model().loss()
          + "; use one of validation-" + String.join(", validation-", allowed.stream().sorted().toList())
          + " or validation-loss");
    }
    boolean maximize = spec.direction() != null ? spec.direction().equals("maximize")
        : sparksgd.train.Metric.ofKey(key).higherIsBetter();
    return new SweepMetric(key, maximize);
  }
}
