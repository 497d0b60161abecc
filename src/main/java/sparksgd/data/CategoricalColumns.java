package sparksgd.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
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

  /** The checks that need no data: one error naming the key. */
  public static void checkConfig(DataSpec spec) {
    List<String> cats = spec.categorical();
    if (spec.hashBits() < 0 || spec.hashBits() > CategoricalEncoder.MAX_HASH_BITS) {
      throw new JobConfigException("data.hash-bits", "must be 0 (a vocabulary learned from the training rows) or "
          + "1.." + CategoricalEncoder.MAX_HASH_BITS + " (2^N hashed slots); got " + spec.hashBits());
    }
    if (cats.isEmpty()) {
      if (spec.hashBits() > 0) {
        throw new JobConfigException("data.hash-bits", "hashes the data.categorical columns, and none are listed");
      }
      return;
    }
    if (spec.format() != DataSpec.Format.CSV && spec.format() != DataSpec.Format.WHITESPACE) {
      throw new JobConfigException("data.categorical", "needs named text columns: data.format = csv or whitespace "
          + "(got " + spec.format() + ")");
    }
    Set<String> seen = new HashSet<>();
    for (String c : cats) {
      if (!seen.add(c)) {
        throw new JobConfigException("data.categorical", "lists '" + CsvLineParser.shorten(c) + "' twice");
      }
      if (c.equals(spec.label())) {
        throw new JobConfigException("data.categorical", "'" + CsvLineParser.shorten(c) + "' is the label column "
            + "(data.label); a label cannot be a categorical feature");
      }
      if (c.equals(spec.weight())) {
        throw new JobConfigException("data.categorical", "'" + CsvLineParser.shorten(c) + "' is the weight column "
            + "(data.weight)");
      }
      if (spec.features().contains(c)) {
        throw new JobConfigException("data.categorical", "'" + CsvLineParser.shorten(c) + "' is also in "
            + "data.features; a column is either numeric (data.features) or categorical, not both");
      }
      if (spec.drop().contains(c)) {
        throw new JobConfigException("data.categorical", "'" + CsvLineParser.shorten(c) + "' is also in data.drop");
      }
    }
  }

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
    CategoricalFormat reader = new CategoricalFormat(schemas, at, delimiter, whitespace, null, false);
    CategoricalEncoder encoder = spec.hashBits() > 0
        ? CategoricalEncoder.hashed(numeric.features(), cats, spec.hashBits())
        : CategoricalEncoder.learned(numeric.features(), cats, trainingValues(numeric, reader, spec, seed,
            trainSources));
    int width = encoder.width();
    boolean sparse = spec.weight() == null && switch (spec.representation()) {
      case SPARSE -> true;
      case DENSE -> false;
      case AUTO -> width > 1000 || numeric.features().size() + cats.size() < 0.1 * width;
    };
    return new Inputs.Prepared(encoder.featureNames(), reader.with(encoder, sparse), numeric.lines());
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
  private static List<Map<String, Long>> trainingValues(Inputs.Prepared input, CategoricalFormat reader,
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
