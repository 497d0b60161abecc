package sparksgd.data;

import java.io.Serializable;

/**
 * Turns one numbered input line into {@code [features..., label]}, or a {@link DataException} naming
 * file, line and column. One implementation per text format; every format shares the loader, the
 * validation pass and the error quality.
 */
public interface LineFormat extends Serializable {
  double[] parse(SourceLine line);
}
