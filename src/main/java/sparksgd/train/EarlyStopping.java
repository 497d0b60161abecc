package sparksgd.train;

import sparksgd.job.TrainingSpec;

/**
 * Stops training when the validation metric has not improved by more than {@code minDelta} for
 * {@code patience} epochs, remembering the best epoch's parameters so they can be restored.
 */
public final class EarlyStopping implements EpochListener {
  private final TrainingSpec.EarlyStopping spec;
  /** null: the validation loss (lower is better), else the headline metric in its own direction. */
  private final Metric metric;
  private double best;
  private int bestEpoch;
  private double[] bestParams;
  private int stoppedEpoch;

  public EarlyStopping(TrainingSpec.EarlyStopping spec) {
    this.spec = spec;
    this.metric = spec.metric().equals("validation-loss") ? null
        : Metric.ofKey(spec.metric().substring("validation-".length()));
    this.best = metric == null ? Double.POSITIVE_INFINITY : metric.worst();
  }

  @Override
  public boolean afterEpoch(EpochRecord r, TrainerState state) {
    double value = metric == null ? r.validationLoss() : r.validationMetric();
    boolean improved = metric == null ? value < best - spec.minDelta() : metric.improves(value, best, spec.minDelta());
    if (improved) {
      best = value;
      bestEpoch = r.epoch();
      bestParams = state.params.clone();
    } else if (r.epoch() - bestEpoch > spec.patience()) {
      stoppedEpoch = r.epoch();
      return false;
    }
    return true;
  }

  /** Copies the best epoch's parameters into {@code params} when restore-best is on. */
  public void restore(double[] params) {
    if (spec.restoreBest() && bestParams != null) {
      System.arraycopy(bestParams, 0, params, 0, params.length);
    }
  }

  public int bestEpoch() {
    return bestEpoch;
  }

  public double bestValue() {
    return best;
  }

  /** The epoch after which training stopped early, or 0 if it ran to the end. */
  public int stoppedEpoch() {
    return stoppedEpoch;
  }

  /** Which epoch's weights the final model holds. */
  public int keptEpoch(int lastEpoch) {
    return spec.restoreBest() && bestParams != null ? bestEpoch : lastEpoch;
  }
}
