package sparksgd.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import scala.Tuple2;
import sparksgd.job.DataSpec;
import sparksgd.job.JobConfigException;

/**
 * {@code data.categorical}: checks the keys, learns the vocabulary from the training rows (the seeded split's
 * TRAIN rows only: a value seen only in validation or test rows maps to its column's {@code <other>} slot),
 * and prepares the input as numeric columns plus one-hot slots.
 */
public final class CategoricalColumns {
  private CategoricalColumns() {}

  /**
   * The job's input: as {@link Inputs#prepare} without categorical columns; with them, numeric features then
   * one-hot slots, the vocabulary learned from the rows the seeded split puts in TRAIN among the first
   * {@code trainSources} sources. Sparse rows when {@code data.representation} says so, or (auto) when the
   * slots make the rows under 10 % full or wider than 1,000; a weight column keeps rows dense.
   */
  public static Inputs.Prepared prepare(JavaSparkContext jsc, DataSpec spec, long seed, List<Source> sources,
      int trainSources, int partitions) {
    if (spec.categorical().isEmpty()) {
      return Inputs.prepare(jsc, spec, sources, partitions);
    }
    Configuration conf = jsc.hadoopConfiguration();
    List<String> cats = spec.categorical();
    List<String> drop = new ArrayList<>(spec.drop());
    drop.addAll(cats);
    DataSpec numericSpec = new DataSpec(spec.train(), spec.test(), spec.testFraction(), spec.validationFraction(),
        spec.label(), spec.features(), drop, spec.normalize(), spec.normalizeLabel(), spec.format(),
        spec.delimiter(), spec.header(), spec.columns(), spec.numFeatures(), spec.blockRows(), spec.storageLevel(),
        spec.labelKind(), spec.representation(), spec.weight());
    if (spec.format() == DataSpec.Format.PARQUET) {
      return parquet(jsc, spec, numericSpec, seed, sources, trainSources);
    }

    boolean whitespace = spec.format() == DataSpec.Format.WHITESPACE;
    boolean header = !whitespace && spec.header();
    char delimiter = spec.delimiter().charAt(0);
    if (!header && !whitespace && spec.columns().isEmpty()) {
      throw new JobConfigException("data.columns", "must name the columns of a file without a header (data.header = false)");
    }
    String[] given = spec.columns().isEmpty() ? Inputs.BOSTON_COLUMNS.toArray(new String[0])
        : spec.columns().toArray(new String[0]);
    String[][] names = new String[sources.size()][];
    int[][] at = new int[sources.size()][];
    for (int i = 0; i < sources.size(); i++) { // unknown categorical columns first: the error names the key
      Source s = sources.get(i);
      names[i] = header ? CsvSchema.parseHeader(s.display(), s.firstLine(conf), delimiter) : given;
      at[i] = positions(s.display(), names[i], cats);
    }
    Inputs.Prepared numeric = Inputs.prepare(jsc, numericSpec, sources, partitions);
    CsvSchema[] schemas = new CsvSchema[sources.size()];
    for (int i = 0; i < sources.size(); i++) {
      schemas[i] = CsvSchema.map(sources.get(i).display(), names[i], numeric.features(), spec.label(), true,
          spec.weight());
    }
    return encoded(new Inputs.Prepared(numeric.features(),
        new CategoricalFormat(schemas, at, delimiter, whitespace, null, false), numeric.lines()), spec, seed,
        trainSources);
  }

  /** Learns (or, hashed, just makes) the encoder for {@code input}'s categorical cells and picks dense or sparse rows. */
  private static Inputs.Prepared encoded(Inputs.Prepared input, DataSpec spec, long seed, int trainSources) {
    EncodedFormat reader = (EncodedFormat) input.format();
    List<String> cats = spec.categorical();
    CategoricalEncoder encoder = spec.hashBits() > 0
        ? CategoricalEncoder.hashed(input.features(), cats, spec.hashBits())
        : CategoricalEncoder.learned(input.features(), cats, trainingValues(input, reader, spec, seed, trainSources));
    int width = encoder.width();
    boolean sparse = spec.weight() == null && switch (spec.representation()) {
      case SPARSE -> true;
      case DENSE -> false;
      case AUTO -> width > 1000 || input.features().size() + cats.size() < 0.1 * width;
    };
    return new Inputs.Prepared(encoder.featureNames(), reader.with(encoder, sparse), input.lines());
  }

  /**
   * Parquet rows: the numeric columns (features chosen as for any Parquet file, then weight and label) typed,
   * the categorical columns as text (a number's usual string form, so an int column's 3 is "3"; null is "").
   */
  private static Inputs.Prepared parquet(JavaSparkContext jsc, DataSpec spec, DataSpec numericSpec, long seed,
      List<Source> sources, int trainSources) {
    SparkSession spark = SparkSession.builder().sparkContext(jsc.sc()).getOrCreate();
    List<String> cats = spec.categorical();
    List<String> features = null;
    List<String> cols = null;
    JavaRDD<SourceLine> all = null;
    for (int i = 0; i < sources.size(); i++) {
      Source s = sources.get(i);
      Dataset<Row> df = Inputs.parquetFrame(spark, s);
      String[] names = df.columns();
      positions(s.display(), names, cats);
      if (features == null) {
        features = CsvSchema.chooseFeatures(s.display(), names, spec.label(), spec.weight(), numericSpec.features(),
            numericSpec.drop());
        cols = new ArrayList<>(features);
        if (spec.weight() != null) {
          cols.add(spec.weight());
        }
        cols.add(spec.label());
      }
      for (String c : cols) {
        if (!List.of(names).contains(c)) {
          throw new DataException(s.display(), 0, c, "missing column (columns: " + CsvSchema.columns(names) + ")");
        }
        DataType t = df.schema().apply(c).dataType();
        if (!Inputs.numeric(t)) {
          throw new DataException(s.display(), 0, c, "has type " + t.simpleString() + "; a number is needed (with "
              + "data.categorical, features are numeric columns; list text columns in data.categorical)");
        }
      }
      List<Column> selected = new ArrayList<>();
      for (String c : cols) {
        selected.add(df.col(c));
      }
      for (String c : cats) {
        selected.add(df.col(c));
      }
      int index = i;
      int numeric = cols.size();
      JavaRDD<SourceLine> rows = df.select(selected.toArray(new Column[0])).javaRDD().zipWithIndex().map(t -> {
        Row r = t._1();
        double[] v = new double[numeric];
        for (int j = 0; j < numeric; j++) {
          Object o = r.get(j);
          v[j] = o == null ? Double.NaN : ((Number) o).doubleValue();
        }
        String[] text = new String[r.size() - numeric];
        for (int j = 0; j < text.length; j++) {
          Object o = r.get(numeric + j);
          text[j] = o == null ? "" : o.toString().replace(CategoricalParquetFormat.SEPARATOR, " ");
        }
        return new SourceLine(index, t._2() + 1, String.join(CategoricalParquetFormat.SEPARATOR, text), v);
      });
      all = all == null ? rows : all.union(rows);
    }
    CategoricalParquetFormat reader = new CategoricalParquetFormat(sources.stream().map(Source::display).toList(),
        List.copyOf(cols), null, false);
    return encoded(new Inputs.Prepared(features, reader, all), spec, seed, trainSources);
  }

  /** Each categorical column's position in a header; an unknown one is a config error naming the key. */
  public static int[] positions(String file, String[] names, List<String> cats) {
    int[] at = new int[cats.size()];
    for (int c = 0; c < at.length; c++) {
      at[c] = List.of(names).indexOf(cats.get(c));
      if (at[c] < 0) {
        throw new JobConfigException("data.categorical", "names '" + CsvLineParser.shorten(cats.get(c))
            + "', which is not a column of " + file + " (columns: " + CsvSchema.columns(names) + ")");
      }
    }
    return at;
  }

  /**
   * Every categorical column's value counts over the TRAIN rows, as the loader numbers and splits them (the
   * same zipWithIndex ordinals). Rows that do not parse are skipped here: the loader's validation pass
   * reports the first one with its place.
   */
  private static List<Map<String, Long>> trainingValues(Inputs.Prepared input, EncodedFormat reader,
      DataSpec spec, long seed, int trainSources) {
    SplitRule rule = new SplitRule(seed, spec.test() == null ? spec.testFraction() : 0, spec.validationFraction());
    int k = spec.categorical().size();
    List<ArrayList<HashMap<String, Long>>> parts = input.lines().zipWithIndex().mapPartitions(
        (Iterator<Tuple2<SourceLine, Long>> it) -> {
          ArrayList<HashMap<String, Long>> maps = new ArrayList<>();
          for (int c = 0; c < k; c++) {
            maps.add(new HashMap<>());
          }
          while (it.hasNext()) {
            Tuple2<SourceLine, Long> t = it.next();
            if (t._1().source() >= trainSources || rule.assign(t._2()) != Split.TRAIN) {
              continue;
            }
            String[] values;
            try {
              values = reader.categories(t._1());
            } catch (DataException e) {
              continue;
            }
            for (int c = 0; c < k; c++) {
              maps.get(c).merge(values[c], 1L, Long::sum);
            }
          }
          return List.of(maps).iterator();
        }).collect();
    List<Map<String, Long>> all = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      Map<String, Long> m = new HashMap<>();
      for (ArrayList<HashMap<String, Long>> p : parts) {
        p.get(c).forEach((v, n) -> m.merge(v, n, Long::sum));
      }
      all.add(m);
    }
    return all;
  }
}
