package sparksgd.sweep;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A trial's record, kept as {@code status.json} in its folder and as a leaderboard row.
 *
 * @param status {@code running}, {@code finished}, {@code failed} or {@code interrupted}
 * @param score null unless finished
 * @param reason why a trial failed or stopped; null otherwise
 */
public record TrialResult(int trial, Map<String, String> settings, String status, Double score,
    @JsonProperty("score_std") Double scoreStd, @JsonProperty("fold_scores") List<Double> foldScores, Double epochs,
    double seconds, String reason) {
  public static final String RUNNING = "running";
  public static final String FINISHED = "finished";
  public static final String FAILED = "failed";
  public static final String INTERRUPTED = "interrupted";

  static TrialResult running(Trial t) {
    return new TrialResult(t.id(), t.settingsMap(), RUNNING, null, null, null, null, 0, null);
  }

  static TrialResult finished(Trial t, TrialScore s, double seconds) {
    return new TrialResult(t.id(), t.settingsMap(), FINISHED, s.score(), s.std(), s.foldScores(), s.epochs(), seconds,
        null);
  }

  static TrialResult ended(Trial t, String status, String reason, double seconds) {
    return new TrialResult(t.id(), t.settingsMap(), status, null, null, null, null, seconds, reason);
  }

  public boolean finished() {
    return FINISHED.equals(status);
  }
}
