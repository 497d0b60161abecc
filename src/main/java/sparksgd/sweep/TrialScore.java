package sparksgd.sweep;

import java.util.List;

/**
 * What scoring a trial found: the metric (mean over folds, or on the validation split), its spread
 * across folds, each fold's value, the epochs whose weights were scored (mean over folds; below
 * {@code training.epochs} when early stopping ended a fold), and the epochs trained, summed over folds
 * (NaN when the scorer does not count them).
 */
public record TrialScore(double score, double std, List<Double> foldScores, double epochs, double epochsSpent) {
  public static TrialScore of(List<Double> foldScores, double epochs) {
    return of(foldScores, epochs, Double.NaN);
  }

  public static TrialScore of(List<Double> foldScores, double epochs, double epochsSpent) {
    double mean = foldScores.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    double var = foldScores.stream().mapToDouble(v -> (v - mean) * (v - mean)).average().orElse(Double.NaN);
    return new TrialScore(mean, Math.sqrt(var), List.copyOf(foldScores), epochs, epochsSpent);
  }
}
