package sparksgd.data;

import java.util.List;

/**
 * Parquet rows with categorical columns: each row's numeric values ({@code [features..., (weight,) label]})
 * are typed already, and its categorical cells travel as text joined by NUL (a value is the column's value as a
 * string; null is the empty value). Non-finite or null numbers are bad data naming file, row and column.
 * {@code columns} are the numeric columns, in value order.
 */
record CategoricalParquetFormat(List<String> files, List<String> columns, CategoricalEncoder encoder, boolean sparse)
    implements EncodedFormat {
  static final String SEPARATOR = "\u0000";

  @Override
  public EncodedFormat with(CategoricalEncoder e, boolean sparseRows) {
    return new CategoricalParquetFormat(files, columns, e, sparseRows);
  }

  @Override
  public String[] categories(SourceLine l) {
    return l.text().split(SEPARATOR, -1);
  }

  @Override
  public double[] parse(SourceLine l) {
    double[] v = l.values();
    for (int j = 0; j < v.length; j++) {
      if (!Double.isFinite(v[j])) {
        throw new DataException(files.get(l.source()), l.line(), columns.get(j), "null or not a finite number");
      }
    }
    return encoder.encode(v, categories(l), sparse);
  }
}
