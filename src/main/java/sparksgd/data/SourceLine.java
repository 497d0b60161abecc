package sparksgd.data;

import java.io.Serializable;

/**
 * A raw input line with its place: source index (in job order) and 1-based line number.
 * A plain class, not a record: Spark's Kryo cannot serialize records.
 */
public final class SourceLine implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int source;
  private final long line;
  private final String text;
  private final double[] values; // already typed rows (Parquet): [features..., label]

  public SourceLine(int source, long line, String text) {
    this(source, line, text, null);
  }

  public SourceLine(int source, long line, String text, double[] values) {
    this.source = source;
    this.line = line;
    this.text = text;
    this.values = values;
  }

  public double[] values() {
    return values;
  }

  public int source() {
    return source;
  }

  public long line() {
    return line;
  }

  public String text() {
    return text;
  }
}
