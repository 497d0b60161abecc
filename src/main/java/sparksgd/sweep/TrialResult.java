package sparksgd.sweep;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A trial's record, kept as {@code status.json} in its folder and as a leaderboard row.
 *
 * @param status {@code running}, {@code finished}, {@code failed} or {@code interrupted}; with the ASHA
 *     scheduler also {@code paused} (scored at a rung, may still be promoted) and {@code stopped} (the
 *     sweep ended without promoting it)
 * @param score null unless finished (or, with ASHA, paused or stopped: the score at its last rung)
 * @param reason why a trial failed or stopped; null otherwise
 * @param rung ASHA only: the rung reached, counting from 1 (the first rung is {@code grace-epochs})
 * @param epochsSpent epochs trained, summed over folds; null when not counted
 */
public record TrialResult(int trial, Map<String, String> settings, String status, Double score,
    @JsonProperty("score_std") Double scoreStd, @JsonProperty("fold_scores") List<Double> foldScores, Double epochs,
    double seconds, String reason, Integer rung, @JsonProperty("epochs_spent") Double epochsSpent) {
  public static final String RUNNING = "running";
  public static final String FINISHED = "finished";
  public static final String FAILED = "failed";
  public static final String INTERRUPTED = "interrupted";
  public static final String PAUSED = "paused";
  public static final String STOPPED = "stopped";

  static TrialResult running(Trial t) {
    return new TrialResult(t.id(), t.settingsMap(), RUNNING, null, null, null, null, 0, null, null, null);
  }

  static TrialResult finished(Trial t, TrialScore s, double seconds) {
    return new TrialResult(t.id(), t.settingsMap(), FINISHED, s.score(), s.std(), s.foldScores(), s.epochs(), seconds,
        null, null, spent(s));
  }

  static TrialResult ended(Trial t, String status, String reason, double seconds) {
    return new TrialResult(t.id(), t.settingsMap(), status, null, null, null, null, seconds, reason, null, null);
  }

  /** An ASHA trial scored at {@code rung} (from 1): finished, paused or stopped there. */
  static TrialResult atRung(Trial t, String status, TrialScore s, int rung, double seconds) {
    return new TrialResult(t.id(), t.settingsMap(), status, s.score(), s.std(), s.foldScores(), s.epochs(), seconds,
        null, rung, spent(s));
  }

  /** The same record with another status and reason (an ASHA trial's rung score is kept). */
  TrialResult withStatus(String newStatus, String newReason) {
    return new TrialResult(trial, settings, newStatus, score, scoreStd, foldScores, epochs, seconds, newReason, rung,
        epochsSpent);
  }

  private static Double spent(TrialScore s) {
    return Double.isNaN(s.epochsSpent()) ? null : s.epochsSpent();
  }

  public boolean finished() {
    return FINISHED.equals(status);
  }

  /** Scored at a rung but not trained to its end (ASHA). */
  public boolean stoppedEarly() {
    return (PAUSED.equals(status) || STOPPED.equals(status)) && score != null;
  }
}
