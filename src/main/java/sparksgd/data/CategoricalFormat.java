package sparksgd.data;

import java.util.regex.Pattern;

/**
 * CSV or whitespace rows with categorical columns: the numeric columns are parsed as by
 * {@link DelimitedFormat} (same checks, same error places), the categorical cells are read as text
 * (trimmed, quotes removed; an empty cell is a value of its own) and one-hot encoded by the
 * {@link CategoricalEncoder}. Dense rows {@code [features..., (weight,) label]} or sparse rows
 * {@code [c0, v0, ..., label]}.
 */
public final class CategoricalFormat implements EncodedFormat {
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private final CsvSchema[] schemas;
  private final int[][] categoricalIndex; // per source, the position of each categorical column
  private final char delimiter;
  private final boolean whitespace;
  private final CategoricalEncoder encoder;
  private final boolean sparse;

  public CategoricalFormat(CsvSchema[] schemas, int[][] categoricalIndex, char delimiter, boolean whitespace,
      CategoricalEncoder encoder, boolean sparse) {
    this.schemas = schemas;
    this.categoricalIndex = categoricalIndex;
    this.delimiter = delimiter;
    this.whitespace = whitespace;
    this.encoder = encoder;
    this.sparse = sparse;
  }

  @Override
  public CategoricalEncoder encoder() {
    return encoder;
  }

  /** The same rows encoded by another encoder (the learned vocabulary), dense or sparse. */
  @Override
  public CategoricalFormat with(CategoricalEncoder e, boolean sparseRows) {
    return new CategoricalFormat(schemas, categoricalIndex, delimiter, whitespace, e, sparseRows);
  }

  @Override
  public boolean sparse() {
    return sparse;
  }

  @Override
  public double[] parse(SourceLine l) {
    String[] cells = cells(l);
    double[] numeric = CsvLineParser.parseCells(schemas[l.source()], l.line(), cells);
    return encoder.encode(numeric, categories(l.source(), cells), sparse);
  }

  /** The categorical cells of a line, after the numeric ones were checked (so the line has the header's arity). */
  @Override
  public String[] categories(SourceLine l) {
    String[] cells = cells(l);
    CsvLineParser.parseCells(schemas[l.source()], l.line(), cells);
    return categories(l.source(), cells);
  }

  private String[] categories(int source, String[] cells) {
    int[] at = categoricalIndex[source];
    String[] out = new String[at.length];
    for (int c = 0; c < at.length; c++) {
      out[c] = CsvSchema.unquote(cells[at[c]].trim());
    }
    return out;
  }

  private String[] cells(SourceLine l) {
    if (whitespace) {
      String t = l.text().strip();
      return t.isEmpty() ? new String[0] : WHITESPACE.split(t);
    }
    return CsvLineParser.split(CsvSchema.stripCr(l.text()), delimiter);
  }
}
