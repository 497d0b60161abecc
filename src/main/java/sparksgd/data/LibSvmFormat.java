package sparksgd.data;

/**
 * LibSVM / SVMlight lines: {@code label index:value index:value ...}, 1-based ascending indices;
 * absent features are 0. Rows are densified into {@code numFeatures} columns named f1..fN.
 */
public final class LibSvmFormat implements LineFormat {
  private final String[] files;
  private final int numFeatures;

  public LibSvmFormat(String[] files, int numFeatures) {
    this.files = files;
    this.numFeatures = numFeatures;
  }

  @Override
  public double[] parse(SourceLine l) {
    String file = files[l.source()];
    String t = l.text().strip();
    int hash = t.indexOf('#');
    if (hash >= 0) {
      t = t.substring(0, hash).strip(); // trailing comments are allowed by the format
    }
    String[] tokens = t.split("\\s+");
    double[] out = new double[numFeatures + 1];
    out[numFeatures] = CsvLineParser.number(file, l.line(), "label", tokens[0]);
    int last = 0;
    for (int i = 1; i < tokens.length; i++) {
      String tok = tokens[i];
      int colon = tok.indexOf(':');
      if (colon <= 0) {
        throw new DataException(file, l.line(), "#" + (i + 1), "expected index:value, found '"
            + CsvLineParser.shorten(tok) + "'");
      }
      int index;
      try {
        index = Integer.parseInt(tok.substring(0, colon));
      } catch (NumberFormatException e) {
        throw new DataException(file, l.line(), "#" + (i + 1), "bad feature index '"
            + CsvLineParser.shorten(tok.substring(0, colon)) + "'");
      }
      if (index < 1 || index > numFeatures) {
        throw new DataException(file, l.line(), "f" + index, "feature index out of range 1.." + numFeatures
            + " (data.num-features)");
      }
      if (index <= last) {
        throw new DataException(file, l.line(), "f" + index, "feature indices must be ascending");
      }
      last = index;
      out[index - 1] = CsvLineParser.number(file, l.line(), "f" + index, tok.substring(colon + 1));
    }
    return out;
  }

  /** The largest feature index of a line (for data.num-features = 0: infer from the data). */
  public static int maxIndex(String text) {
    String t = text.strip();
    int hash = t.indexOf('#');
    if (hash >= 0) {
      t = t.substring(0, hash).strip();
    }
    int last = t.lastIndexOf(':');
    if (last < 0) {
      return 0;
    }
    int start = t.lastIndexOf(' ', last) + 1;
    int tab = t.lastIndexOf('\t', last) + 1;
    try {
      return Integer.parseInt(t.substring(Math.max(start, tab), last));
    } catch (NumberFormatException e) {
      return 0; // the parse pass reports the bad token with its place
    }
  }
}
