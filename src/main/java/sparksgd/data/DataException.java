package sparksgd.data;

/** Bad input data, with its place: file, 1-based line (header = line 1) and column when known. Exit 3. */
public final class DataException extends sparksgd.error.KnownError {
  private final String file;
  private final long line;
  private final String column;

  public DataException(String file, long line, String column, String message) {
    super(sparksgd.error.ErrorKind.DATA, place(file, line, column) + message);
    this.file = file;
    this.line = line;
    this.column = column;
  }

  public DataException(String file, String message) {
    this(file, 0, null, message);
  }

  private static String place(String file, long line, String column) {
    StringBuilder sb = new StringBuilder();
    if (file != null) {
      sb.append(file);
      if (line > 0) {
        sb.append(':').append(line);
      }
      if (column != null) {
        sb.append(", column '").append(CsvLineParser.shorten(column)).append('\'');
      }
      sb.append(": ");
    }
    return sb.toString();
  }

  public String file() {
    return file;
  }

  public long line() {
    return line;
  }

  public String column() {
    return column;
  }
}
