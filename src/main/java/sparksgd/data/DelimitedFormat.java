package sparksgd.data;

import java.util.regex.Pattern;

/**
 * CSV (with or without a header) and the course's whitespace format ({@code housing.data}: runs of
 * spaces, no header). Columns are mapped per source by name through a {@link CsvSchema}.
 */
public final class DelimitedFormat implements LineFormat {
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private final CsvSchema[] schemas;
  private final char delimiter;
  private final boolean whitespace;

  public DelimitedFormat(CsvSchema[] schemas, char delimiter, boolean whitespace) {
    this.schemas = schemas;
    this.delimiter = delimiter;
    this.whitespace = whitespace;
  }

  @Override
  public double[] parse(SourceLine l) {
    CsvSchema schema = schemas[l.source()];
    if (whitespace) {
      String t = l.text().strip();
      return CsvLineParser.parseCells(schema, l.line(), t.isEmpty() ? new String[0] : WHITESPACE.split(t));
    }
    return CsvLineParser.parse(schema, l.line(), l.text(), delimiter);
  }
}
