package sparksgd.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import sparksgd.job.DataSpec;

/**
 * Reads a job's sources in its {@code data.format} as numbered lines (or typed rows) and the parser
 * that turns each into {@code [features..., label]}: the only place that knows the formats.
 */
public final class Inputs {
  /** The course's housing.data column names (whitespace format without data.columns). */
  public static final List<String> BOSTON_COLUMNS = List.of("CRIM", "ZN", "INDUS", "CHAS", "NOX", "RM", "AGE",
      "DIS", "RAD", "TAX", "PTRATIO", "B", "LSTAT", "MEDV");

  /** Feature names, the parser, and every source's data lines in source and line order. */
  public record Prepared(List<String> features, LineFormat format, JavaRDD<SourceLine> lines) {}

  /** Widest LibSVM row inferred from the data (data.num-features = 0). */
  public static final int MAX_INFERRED_FEATURES = 1 << 16;

  private Inputs() {}

  public static Prepared prepare(JavaSparkContext jsc, DataSpec spec, List<Source> sources, int partitions) {
    Configuration conf = jsc.hadoopConfiguration();
    String first = sources.get(0).display();
    switch (spec.format()) {
      case PARQUET:
        return parquet(jsc, spec, sources);
      case LIBSVM: {
        JavaRDD<SourceLine> lines = TrainingDataLoader.lines(jsc, sources, partitions, false);
        int n = spec.numFeatures();
        boolean sparse = spec.representation() == DataSpec.Representation.SPARSE;
        if (n == 0 || spec.representation() == DataSpec.Representation.AUTO) {
          // One pass for the largest index and the share of nonzeros (auto's density rule).
          long[] seen = lines.map(l -> new long[] {LibSvmFormat.maxIndex(l.text()), LibSvmFormat.tokens(l.text()), 1})
              .fold(new long[3], (a, b) -> new long[] {Math.max(a[0], b[0]), a[1] + b[1], a[2] + b[2]});
          if (n == 0) {
            n = (int) Math.min(Integer.MAX_VALUE - 8, seen[0]);
          }
          if (n == 0) {
            throw new DataException(first, "no feature index found; set data.num-features");
          }
          if (spec.representation() == DataSpec.Representation.AUTO) {
            sparse = n > 1000 || seen[1] < 0.1 * n * (double) seen[2];
          }
          if (spec.numFeatures() == 0 && !sparse && n > MAX_INFERRED_FEATURES) {
            // Rows are densified: one stray index would make every cached row that wide.
            throw new DataException(first, "the largest feature index is " + n + ", more than the "
                + MAX_INFERRED_FEATURES + " dense features inferred at most; set data.num-features if that many are meant");
          }
        }
        List<String> names = new ArrayList<>();
        for (int j = 1; j <= n; j++) {
          names.add("f" + j);
        }
        String[] files = sources.stream().map(Source::display).toArray(String[]::new);
        return new Prepared(names, new LibSvmFormat(files, n, sparse), lines);
      }
      default: {
        boolean whitespace = spec.format() == DataSpec.Format.WHITESPACE;
        boolean header = !whitespace && spec.header();
        char delimiter = spec.delimiter().charAt(0);
        String[] given = spec.columns().isEmpty() ? (whitespace ? BOSTON_COLUMNS.toArray(new String[0]) : null)
            : spec.columns().toArray(new String[0]);
        if (!header && given == null) {
          throw new sparksgd.job.JobConfigException("data.columns",
              "must name the columns of a file without a header (data.header = false)");
        }
        String[] firstNames = header ? CsvSchema.parseHeader(first, sources.get(0).firstLine(conf), delimiter) : given;
        List<String> features = CsvSchema.chooseFeatures(first, firstNames, spec.label(), spec.weight(),
            spec.features(), spec.drop());
        CsvSchema[] schemas = new CsvSchema[sources.size()];
        for (int i = 0; i < sources.size(); i++) {
          Source s = sources.get(i);
          String[] names = i == 0 || !header ? firstNames : CsvSchema.parseHeader(s.display(), s.firstLine(conf), delimiter);
          schemas[i] = CsvSchema.map(s.display(), names, features, spec.label(), true, spec.weight());
        }
        if (!header) {
          for (Source s : sources) {
            s.firstLine(conf); // an empty file is an error in every format
          }
        }
        return new Prepared(features, new DelimitedFormat(schemas, delimiter, whitespace),
            TrainingDataLoader.lines(jsc, sources, partitions, header));
      }
    }
  }

  /**
   * Rows of a DataFrame with a features vector column and a numeric label column (Spark ML's
   * convention), as one source named {@code name}; feature names are {@code featuresCol[1..d]}.
   */
  public static Prepared fromFrame(Dataset<Row> df, String featuresCol, String labelCol, String name) {
    return fromFrame(df, featuresCol, labelCol, null, name);
  }

  /**
   * As above with a numeric sample-weight column ({@code weightCol}, null = none): rows are then
   * {@code [features..., weight, label]} as the other formats make them for {@code data.weight}.
   */
  public static Prepared fromFrame(Dataset<Row> df, String featuresCol, String labelCol, String weightCol,
      String name) {
    if (weightCol != null) {
      if (!Arrays.asList(df.columns()).contains(weightCol)) {
        throw new DataException(name, 0, weightCol, "missing weight column (columns: " + String.join(", ", df.columns())
            + ")");
      }
      DataType wt = df.schema().apply(weightCol).dataType();
      if (!numeric(wt)) {
        throw new DataException(name, 0, weightCol, "has type " + wt.simpleString() + "; a number is needed");
      }
    }
    for (String c : List.of(featuresCol, labelCol)) {
      if (!Arrays.asList(df.columns()).contains(c)) {
        throw new DataException(name, 0, c, "missing column (columns: " + String.join(", ", df.columns()) + ")");
      }
    }
    DataType ft = df.schema().apply(featuresCol).dataType();
    if (!(ft instanceof VectorUDT)) {
      throw new DataException(name, 0, featuresCol, "has type " + ft.simpleString() + "; a vector is needed");
    }
    DataType lt = df.schema().apply(labelCol).dataType();
    if (!numeric(lt)) {
      throw new DataException(name, 0, labelCol, "has type " + lt.simpleString() + "; a number is needed");
    }
    Dataset<Row> two = weightCol == null ? df.select(df.col(featuresCol), df.col(labelCol))
        : df.select(df.col(featuresCol), df.col(weightCol), df.col(labelCol));
    Row first = two.first();
    if (first == null) {
      throw new DataException(name, "has no rows");
    }
    Vector firstVector = (Vector) first.get(0);
    int d = firstVector.size();
    // sparse rows carry no weight yet: a weight column keeps them dense
    boolean sparse = weightCol == null && VectorRows.chooseSparse(DataSpec.Representation.AUTO, firstVector);
    List<String> features = slotNames(df.schema().apply(featuresCol), d, labelCol);
    if (features == null) {
      features = new ArrayList<>();
      for (int j = 1; j <= d; j++) {
        features.add(featuresCol + "[" + j + "]");
      }
    }
    JavaRDD<SourceLine> rows = two.javaRDD().zipWithIndex()
        .map(t -> new SourceLine(0, t._2() + 1, null, sparse ? VectorRows.sparse(t._1(), d) : values(t._1())));
    return new Prepared(features, new Typed(List.of(name), weightCol == null ? List.of(featuresCol, labelCol)
        : List.of(featuresCol, weightCol, labelCol), sparse ? d : -1), rows);
  }

  /**
   * The names the vector column's ML attributes give its slots (a VectorAssembler's input columns), when
   * every slot has one, distinct and not the label; else null. A model keeps them as its feature names,
   * so the CLI can score the CSV the vector was assembled from.
   */
  private static List<String> slotNames(StructField field, int d, String labelCol) {
    AttributeGroup group = AttributeGroup.fromStructField(field);
    if (group.attributes().isEmpty() || group.size() != d) {
      return null;
    }
    Set<String> seen = new HashSet<>(List.of(labelCol));
    List<String> names = new ArrayList<>();
    for (Attribute a : group.attributes().get()) {
      if (a.name().isEmpty() || !seen.add(a.name().get())) {
        return null;
      }
      names.add(a.name().get());
    }
    return names;
  }

  /** Already typed rows: each row's values are in the SourceLine; only finiteness is left to check. */
  static final class Typed implements LineFormat {
    private final List<String> files;
    private final List<String> columns;
    private final int sparseWidth; // the vector's size when rows are sparse, else -1

    Typed(List<String> files, List<String> columns, int sparseWidth) {
      this.files = files;
      this.columns = columns;
      this.sparseWidth = sparseWidth;
    }

    @Override
    public boolean sparse() {
      return sparseWidth >= 0;
    }

    @Override
    public double[] parse(SourceLine line) {
      if (sparse()) {
        return VectorRows.check(line, sparseWidth, files.get(line.source()), columns.get(0),
            columns.get(columns.size() - 1));
      }
      double[] v = line.values();
      for (int j = 0; j < v.length; j++) {
        if (!Double.isFinite(v[j])) {
          // One column per value, or a vector column (first) expanded, then the weight and label columns.
          int tail = columns.size() - 1;
          String col = columns.size() == v.length ? columns.get(j)
              : j >= v.length - tail ? columns.get(columns.size() - (v.length - j)) : columns.get(0);
          throw new DataException(files.get(line.source()), line.line(), col, "null or not a finite number");
        }
      }
      return v.clone();
    }
  }

  /** One Parquet input (a built-in data set is CSV, never Parquet). */
  static Dataset<Row> parquetFrame(SparkSession spark, Source s) {
    if (s.builtin()) {
      throw new DataException(s.display(), "built-in data sets are CSV; use data.format = csv");
    }
    return spark.read().parquet(s.uri());
  }

  private static Prepared parquet(JavaSparkContext jsc, DataSpec spec, List<Source> sources) {
    SparkSession spark = SparkSession.builder().sparkContext(jsc.sc()).getOrCreate();
    List<String> features = null;
    List<String> sourceColumns = null;
    JavaRDD<SourceLine> all = null;
    int sparseWidth = 0; // 0: not decided yet (first file), -1: dense rows, else the sparse vectors' size
    for (int i = 0; i < sources.size(); i++) {
      Source s = sources.get(i);
      Dataset<Row> df = Inputs.parquetFrame(spark, s);
      String[] names = df.columns();
      if (features == null) {
        features = CsvSchema.chooseFeatures(s.display(), names, spec.label(), spec.weight(), spec.features(),
            spec.drop());
      }
      List<String> cols = new ArrayList<>(features);
      if (spec.weight() != null) {
        cols.add(spec.weight()); // [features..., weight, label], as the delimited formats
      }
      cols.add(spec.label());
      int vectorWidth = -1;
      boolean sparseVectors = false;
      for (String c : cols) {
        if (!Arrays.asList(names).contains(c)) {
          throw new DataException(s.display(), 0, c, "missing column (columns: " + String.join(", ", names) + ")");
        }
        DataType t = df.schema().apply(c).dataType();
        if (t instanceof VectorUDT && cols.size() == (spec.weight() == null ? 2 : 3) && !c.equals(spec.label())
            && !c.equals(spec.weight())) {
          Vector firstVector = (Vector) df.select(c).first().get(0);
          vectorWidth = firstVector.size();
          sparseVectors = spec.weight() == null && VectorRows.chooseSparse(spec.representation(), firstVector);
        } else if (!numeric(t)) {
          throw new DataException(s.display(), 0, c, "has type " + t.simpleString() + "; a number is needed");
        }
      }
      int index = i;
      sourceColumns = cols;
      boolean keepSparse = i == 0 ? sparseVectors : sparseWidth > 0; // the first file decides for all
      int width = keepSparse && i > 0 ? sparseWidth : vectorWidth;
      if (i == 0) {
        sparseWidth = keepSparse ? width : -1;
      }
      JavaRDD<SourceLine> rows = df.select(cols.stream().map(df::col).toArray(org.apache.spark.sql.Column[]::new))
          .javaRDD().zipWithIndex().map(t -> new SourceLine(index, t._2() + 1, null,
              keepSparse ? VectorRows.sparse(t._1(), width) : values(t._1())));
      all = all == null ? rows : all.union(rows);
      if (vectorWidth > 0 && i == 0) {
        List<String> expanded = new ArrayList<>();
        for (int j = 1; j <= vectorWidth; j++) {
          expanded.add(features.get(0) + "[" + j + "]");
        }
        features = expanded;
      }
    }
    return new Prepared(features, new Typed(sources.stream().map(Source::display).toList(), sourceColumns,
        sparseWidth > 0 ? sparseWidth : -1), all);
  }

  static boolean numeric(DataType t) {
    return t.equals(DataTypes.DoubleType) || t.equals(DataTypes.FloatType) || t.equals(DataTypes.IntegerType)
        || t.equals(DataTypes.LongType) || t.equals(DataTypes.ShortType) || t.equals(DataTypes.ByteType)
        || t instanceof DecimalType;
  }

  /** A row's numbers in column order (vectors expanded); null becomes NaN, refused by {@link Typed}. */
  private static double[] values(Row r) {
    List<Double> out = new ArrayList<>();
    for (int j = 0; j < r.size(); j++) {
      Object v = r.get(j);
      if (v instanceof Vector vec) {
        for (double d : vec.toArray()) {
          out.add(d);
        }
      } else {
        out.add(v == null ? Double.NaN : ((Number) v).doubleValue());
      }
    }
    double[] a = new double[out.size()];
    for (int j = 0; j < a.length; j++) {
      a[j] = out.get(j);
    }
    return a;
  }
}
