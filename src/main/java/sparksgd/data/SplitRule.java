package sparksgd.data;

import java.io.Serializable;

/**
 * Seeded assignment of a row to train / validation / test from its ordinal in the input (the
 * position among data rows, in file and line order): independent of partitioning and scheduling.
 */
public record SplitRule(long seed, double testFraction, double validationFraction) implements Serializable {
  private static final long SPLIT_STREAM = 0x5EED5EEDL;

  public Split assign(long ordinal) {
    double u = Mix.unit(Mix.hash(seed, SPLIT_STREAM, ordinal));
    if (u < testFraction) {
      return Split.TEST;
    }
    if (u < testFraction + validationFraction) {
      return Split.VALIDATION;
    }
    return Split.TRAIN;
  }
}
