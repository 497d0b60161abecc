package sparksgd.data;

import java.io.Serializable;

/**
 * Turns one numbered input line into {@code [features..., label]}, or a {@link DataException} naming
 * file, line and column. One implementation per text format; every format shares the loader, the
 * validation pass and the error quality.
 */
public interface LineFormat extends Serializable {
  double[] parse(SourceLine line);

  /**
   * True when {@link #parse} returns sparse rows, {@code [c0, v0, c1, v1, ..., label]}: the 0-based column
   * and value of each nonzero in ascending column order, then the label; false for dense
   * {@code [features..., label]}.
   */
  default boolean sparse() {
    return false;
  }
}
