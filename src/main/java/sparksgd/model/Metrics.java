package sparksgd.model;

import java.io.Serializable;
import java.util.Map;

/**
 * Evaluation as sums that partitions compute and the driver adds in partition order, then finishes
 * into named metrics. One implementation per kind of task (regression, classification).
 */
public interface Metrics extends Serializable {
  /** Length of the accumulator array. */
  int width();

  /**
   * Adds one row: raw model outputs {@code z[zOff .. zOff+k)}, its (possibly normalized) label and
   * its loss in training units.
   */
  void add(double[] acc, double[] z, int zOff, int k, double label, double rowLoss);

  /**
   * {@link #add} for a row of sample weight {@code weight} ({@code data.weight}): every sum, the row count
   * included, takes it {@code weight} times, so the finished metrics are weighted means.
   */
  void add(double[] acc, double[] z, int zOff, int k, double label, double rowLoss, double weight);

  /** Mean loss in training units. */
  double loss(double[] acc);

  /** The per-epoch headline metric ({@link #headlineName()}): MAE or accuracy. */
  double headline(double[] acc);

  String headlineName();

  /** Whether a larger headline is better (accuracy) or worse (MAE). */
  boolean higherIsBetter();

  /** Every metric by name, for metrics.json. */
  Map<String, Double> finish(double[] acc);
}
