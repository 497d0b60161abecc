package sparksgd.train;

import sparksgd.job.TrainingSpec;

/**
 * Stops training when the validation metric has not improved by more than {@code minDelta} for
 * {@code patience} epochs, remembering the best epoch's parameters so they can be restored.
 */
public final class EarlyStopping implements EpochListener {
  private final TrainingSpec.EarlyStopping spec;
  private double best = Double.POSITIVE_INFINITY;
  private int bestEpoch;
  private double[] bestParams;
  private int stoppedEpoch;

  public EarlyStopping(TrainingSpec.EarlyStopping spec) {
    this.spec = spec;
  }

  @Override
  public boolean afterEpoch(EpochRecord r, TrainerState state) {
    // The record's "MAE" column holds the headline metric: MAE, or accuracy for classifiers (maximized).
    double value = spec.metric().equals("validation-loss") ? r.validationLoss()
        : spec.metric().equals("validation-accuracy") ? -r.validationMae() : r.validationMae();
    if (value < best - spec.minDelta()) {
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
