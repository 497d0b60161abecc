package sparksgd.data;

/**
 * LibSVM / SVMlight lines: {@code label index:value index:value ...}, 1-based ascending indices;
 * absent features are 0. Rows are densified into {@code numFeatures} columns named f1..fN.
 */
public final class LibSvmFormat implements LineFormat {
  private final String[] files;
  private final int numFeatures;
  private final boolean sparse;

  public LibSvmFormat(String[] files, int numFeatures) {
    this(files, numFeatures, false);
  }

  /**
   * {@code sparse}: rows are not densified; {@link #parse} returns {@code [c0, v0, c1, v1, ..., label]},
   * the 0-based column and value of each nonzero (explicit zeros are dropped), then the label last as in
   * the dense form.
   */
  public LibSvmFormat(String[] files, int numFeatures, boolean sparse) {
    this.files = files;
    this.numFeatures = numFeatures;
    this.sparse = sparse;
  }

  @Override
  public boolean sparse() {
    return sparse;
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
    double label = CsvLineParser.number(file, l.line(), "label", tokens[0]);
    double[] out = sparse ? new double[2 * tokens.length - 1] : new double[numFeatures + 1];
    int nnz = 0;
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
        throw new DataException(file, l.line(), "f" + index, index == last ? "feature index repeated"
            : "feature indices must be ascending");
      }
      last = index;
      double v = CsvLineParser.number(file, l.line(), "f" + index, tok.substring(colon + 1));
      if (!sparse) {
        out[index - 1] = v;
      } else if (v != 0) {
        out[2 * nnz] = index - 1;
        out[2 * nnz + 1] = v;
        nnz++;
      }
    }
    if (!sparse) {
      out[numFeatures] = label;
      return out;
    }
    double[] packed = java.util.Arrays.copyOf(out, 2 * nnz + 1);
    packed[2 * nnz] = label;
    return packed;
  }

  /** The number of index:value tokens of a line (its nonzeros, explicit zeros included). */
  public static long tokens(String text) {
    String t = text.strip();
    int hash = t.indexOf('#');
    if (hash >= 0) {
      t = t.substring(0, hash);
    }
    long n = 0;
    for (int i = t.indexOf(':'); i >= 0; i = t.indexOf(':', i + 1)) {
      n++;
    }
    return n;
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
