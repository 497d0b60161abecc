package sparksgd.job;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import sparksgd.error.Quoted;

/** The checks of {@code data.categorical} and {@code data.hash-bits} that need no data, made when the job loads. */
public final class CategoricalConfig {
  /** The largest {@code data.hash-bits}: 2^15 one-hot slots, the range the categorical tests cover. */
  public static final int MAX_HASH_BITS = 15;

  private CategoricalConfig() {}

  /** The checks that need no data: one error naming the key. */
  public static void check(DataSpec spec) {
    List<String> cats = spec.categorical();
    if (spec.hashBits() < 0 || spec.hashBits() > MAX_HASH_BITS) {
      throw new JobConfigException("data.hash-bits", "must be 0 (a vocabulary learned from the training rows) or "
          + "1.." + MAX_HASH_BITS + " (2^N hashed slots); got " + spec.hashBits());
    }
    if (cats.isEmpty()) {
      if (spec.hashBits() > 0) {
        throw new JobConfigException("data.hash-bits", "hashes the data.categorical columns, and none are listed");
      }
      return;
    }
    if (spec.format() == DataSpec.Format.LIBSVM) {
      throw new JobConfigException("data.categorical", "needs named columns: data.format = csv, whitespace or "
          + "parquet (got libsvm)");
    }
    Set<String> seen = new HashSet<>();
    for (String c : cats) {
      if (!seen.add(c)) {
        throw new JobConfigException("data.categorical", "lists '" + Quoted.shorten(c) + "' twice");
      }
      if (c.equals(spec.label())) {
        throw new JobConfigException("data.categorical", "'" + Quoted.shorten(c) + "' is the label column "
            + "(data.label); a label cannot be a categorical feature");
      }
      if (c.equals(spec.weight())) {
        throw new JobConfigException("data.categorical", "'" + Quoted.shorten(c) + "' is the weight column "
            + "(data.weight)");
      }
      if (spec.features().contains(c)) {
        throw new JobConfigException("data.categorical", "'" + Quoted.shorten(c) + "' is also in "
            + "data.features; a column is either numeric (data.features) or categorical, not both");
      }
      if (spec.drop().contains(c)) {
        throw new JobConfigException("data.categorical", "'" + Quoted.shorten(c) + "' is also in data.drop");
      }
    }
  }

}
