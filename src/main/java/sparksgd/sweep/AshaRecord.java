package sparksgd.sweep;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * An ASHA trial's progress, kept as {@code asha.json} in its folder: its score at each milestone reached
 * (rungs below its budget, then the budget), whether it was promoted from the last one (and so is to be
 * trained on), the seconds spent so far, and whether it failed.
 */
public record AshaRecord(List<RungScore> rungs, boolean promoted, double seconds, boolean failed, String reason) {
  static final String FILE = "asha.json";

  /** The score at one milestone. */
  public record RungScore(int epochs, double score, double std, @JsonProperty("fold_scores") List<Double> foldScores,
      @JsonProperty("epochs_spent") double epochsSpent) {
    static RungScore of(int epochs, TrialScore s) {
      return new RungScore(epochs, s.score(), s.std(), s.foldScores(), s.epochsSpent());
    }

    TrialScore toScore() {
      return new TrialScore(score, std, foldScores, epochs, epochsSpent);
    }
  }
}
