package sparksgd.data;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Parses one data line against a {@link CsvSchema} into {@code [features..., label]}; any problem is a
 * {@link DataException} naming file, line and column. Only the job's columns are parsed.
 */
public final class CsvLineParser {
  // Plain decimal or scientific notation; Java's parser alone would also accept "NaN", "0x1p3" or "1d".
  private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private CsvLineParser() {}

  public static boolean isBlank(String line) {
    return line.isBlank() || CsvSchema.stripBom(line).isBlank();
  }

  /** Values of the schema's features then label (label NaN when the file has no label column). */
  public static double[] parse(CsvSchema schema, long lineNo, String rawLine, char delimiter) {
    return parseCells(schema, lineNo, split(CsvSchema.stripCr(rawLine), delimiter));
  }

  /**
   * Values of already split cells (any delimited text format): {@code [features..., label]}, or
   * {@code [features..., weight, label]} when the schema has a weight column ({@code data.weight}).
   */
  public static double[] parseCells(CsvSchema schema, long lineNo, String[] cells) {
    if (cells.length != schema.arity()) {
      String col = cells.length < schema.arity() ? schema.names()[cells.length] : "#" + (schema.arity() + 1);
      throw new DataException(schema.file(), lineNo, col,
          "expected " + schema.arity() + " values like the header, found " + cells.length);
    }
    int[] fi = schema.featureIndex();
    boolean weighted = schema.weightIndex() >= 0;
    double[] out = new double[fi.length + (weighted ? 2 : 1)];
    for (int j = 0; j < fi.length; j++) {
      out[j] = cell(schema, lineNo, cells, fi[j]);
    }
    if (weighted) {
      out[fi.length] = cell(schema, lineNo, cells, schema.weightIndex());
    }
    out[out.length - 1] = schema.labelIndex() < 0 ? Double.NaN : cell(schema, lineNo, cells, schema.labelIndex());
    return out;
  }

  private static double cell(CsvSchema schema, long lineNo, String[] cells, int index) {
    return number(schema.file(), lineNo, schema.names()[index], CsvSchema.unquote(cells[index].trim()));
  }

  /** One finite number in plain or scientific notation, or a {@link DataException} naming its place. */
  public static double number(String file, long lineNo, String col, String s) {
    if (s.isEmpty()) {
      throw new DataException(file, lineNo, col, "empty value");
    }
    if (!NUMBER.matcher(s).matches()) {
      throw new DataException(file, lineNo, col, "not a number: '" + shorten(s) + "'");
    }
    double v = Double.parseDouble(s);
    if (!Double.isFinite(v)) {
      throw new DataException(file, lineNo, col, "not a finite number: '" + shorten(s) + "'");
    }
    return v;
  }

  /** A value for an error line: at most 40 characters, control characters shown as '?'. */
  public static String shorten(String s) {
    return sparksgd.error.Quoted.shorten(s);
  }

  static String[] split(String line, char delimiter) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == delimiter) {
        out.add(line.substring(start, i));
        start = i + 1;
      }
    }
    out.add(line.substring(start));
    return out.toArray(new String[0]);
  }
}
