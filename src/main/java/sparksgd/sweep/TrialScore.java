package sparksgd.sweep;

import java.util.List;

/**
 * What scoring a trial found: the metric (mean over folds, or on the validation split), its spread
 * across folds, each fold's value, and the epochs whose weights were scored (mean over folds; below
 * {@code training.epochs} when early stopping ended a fold).
 */
public record TrialScore(double score, double std, List<Double> foldScores, double epochs) {
  public static TrialScore of(List<Double> foldScores, double epochs) {
    double mean = foldScores.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    double var = foldScores.stream().mapToDouble(v -> (v - mean) * (v - mean)).average().orElse(Double.NaN);
    return new TrialScore(mean, Math.sqrt(var), List.copyOf(foldScores), epochs);
  }
}
