package sparksgd.train;

import java.util.Locale;
import sparksgd.job.ModelSpec;

/**
 * The metrics a run reports, each with its key (as in metrics.json and history.csv's column names) and
 * direction. The per-epoch headline is chosen here once: MAE for regression, accuracy for classifiers.
 */
public enum Metric {
  MAE("mae", false),
  MSE("mse", false),
  RMSE("rmse", false),
  R2("r2", true),
  ACCURACY("accuracy", true),
  LOGLOSS("logloss", false),
  F1("f1", true);

  private final String key;
  private final boolean higherIsBetter;

  Metric(String key, boolean higherIsBetter) {
    this.key = key;
    this.higherIsBetter = higherIsBetter;
  }

  /** The metric's key in metrics.json, cv.json and history.csv's {@code validation_<key>} column. */
  public String key() {
    return key;
  }

  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /** What every epoch reports on validation and test rows: accuracy for classifiers, else MAE. */
  public static Metric headline(ModelSpec model) {
    return model.classification() ? ACCURACY : MAE;
  }

  /** The metric of a key ({@code mae}, {@code accuracy}, ...), or null when there is none. */
  public static Metric ofKey(String key) {
    for (Metric m : values()) {
      if (m.key.equals(key.toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    return null;
  }

  /** Whether {@code value} improves on {@code best} by more than {@code minDelta} in this metric's direction. */
  public boolean improves(double value, double best, double minDelta) {
    return higherIsBetter ? value > best + minDelta : value < best - minDelta;
  }

  /** A starting "best" that any finite value improves on. */
  public double worst() {
    return higherIsBetter ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
  }
}
