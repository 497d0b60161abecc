package sparksgd.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.stat.MultivariateOnlineSummarizer;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;
import sparksgd.job.DataSpec;
import sparksgd.model.Precision;

/**
 * Reads a job's inputs through Spark (any Hadoop URI), validates every row, splits it by the seeded
 * rule, computes statistics on the training rows in one distributed pass, and caches the normalized
 * rows as dense blocks in {@code partitions} equal, contiguous id ranges.
 *
 * <p>Passes: one to number lines per file, one to number data rows, one to validate, one to shuffle
 * rows into their blocks (cached raw), one for statistics over those blocks, and one for the
 * normalized copy. Every result is combined in partition order.
 */
public final class TrainingDataLoader {
  private TrainingDataLoader() {}

  /**
   * What to load: the data section, the split seed, the partitions, how to cache the rows, the class count
   * labels are checked against (0: any class label) and the precision of normalized blocks.
   */
  private record Request(DataSpec spec, long seed, int partitions, CachedRows rows, int classes, Precision precision) {
    static Request of(sparksgd.job.JobSpec job, CachedRows rows) {
      return new Request(job.data(), job.training().seed(), job.training().partitions(), rows, job.model().classes(),
          job.training().precision());
    }
  }

  /** A job's data: its seed and partitions, class labels checked against model.classes. */
  public static TrainingData forJob(JavaSparkContext jsc, sparksgd.job.JobSpec job, CachedRows rows) {
    Configuration conf = jsc.hadoopConfiguration();
    DataSpec spec = job.data();
    List<Source> trainSources = Source.resolve(spec.train(), conf);
    List<Source> testSources = spec.test() == null ? List.of() : Source.resolve(spec.test(), conf);
    List<Source> all = new ArrayList<>(trainSources);
    all.addAll(testSources);
    return load(jsc, Request.of(job, rows),
        CategoricalColumns.prepare(jsc, spec, job.training().seed(), all, trainSources.size(),
            job.training().partitions()), trainSources, testSources);
  }

  /**
   * A job's data from already prepared input (e.g. {@link Inputs#fromFrame}: a DataFrame given to a Spark ML
   * estimator); {@code data.train} only names it in messages.
   */
  public static TrainingData forJob(JavaSparkContext jsc, sparksgd.job.JobSpec job, CachedRows rows,
      Inputs.Prepared input) {
    List<Source> named = List.of(new Source(job.data().train(), job.data().train(), false));
    return load(jsc, Request.of(job, rows), input, named, List.of());
  }

  /** The rows of {@code spec} normalized in float64, any class label accepted. */
  public static TrainingData load(JavaSparkContext jsc, DataSpec spec, long seed, int partitions) {
    Configuration conf = jsc.hadoopConfiguration();
    List<Source> trainSources = Source.resolve(spec.train(), conf);
    List<Source> testSources = spec.test() == null ? List.of() : Source.resolve(spec.test(), conf);
    List<Source> all = new ArrayList<>(trainSources);
    all.addAll(testSources);
    return load(jsc, new Request(spec, seed, partitions, CachedRows.NORMALIZED, 0, Precision.FLOAT64),
        CategoricalColumns.prepare(jsc, spec, seed, all, trainSources.size(), partitions), trainSources, testSources);
  }

  /**
   * The input lines of {@code split}'s rows, as they were read (no header), in input order: the same seeded
   * assignment as training's, so {@code evaluate} on them reproduces a run's test metrics. Text formats only
   * (CSV, whitespace, LibSVM); Parquet rows have no lines.
   */
  public static JavaRDD<String> splitLines(JavaSparkContext jsc, DataSpec spec, long seed, int partitions,
      Split split) {
    if (spec.format() == DataSpec.Format.PARQUET) {
      throw new DataException(spec.train(), "--save-splits writes text rows; Parquet input has none");
    }
    Configuration conf = jsc.hadoopConfiguration();
    List<Source> trainSources = Source.resolve(spec.train(), conf);
    List<Source> all = new ArrayList<>(trainSources);
    if (spec.test() != null) {
      all.addAll(Source.resolve(spec.test(), conf));
    }
    int trainFiles = trainSources.size();
    SplitRule rule = new SplitRule(seed, spec.test() == null ? spec.testFraction() : 0, spec.validationFraction());
    return Inputs.prepare(jsc, spec, all, partitions).lines().zipWithIndex()
        .filter(t -> (t._1().source() >= trainFiles ? Split.TEST : rule.assign(t._2())) == split)
        .map(t -> t._1().text());
  }

  private static TrainingData load(JavaSparkContext jsc, Request request, Inputs.Prepared input,
      List<Source> trainSources, List<Source> testSources) {
    DataSpec spec = request.spec();
    int partitions = request.partitions();
    List<Source> all = new ArrayList<>(trainSources);
    all.addAll(testSources);
    List<String> features = input.features();
    JavaPairRDD<SourceLine, Long> indexed = input.lines().zipWithIndex();
    SplitRule rule = new SplitRule(request.seed(), spec.test() == null ? spec.testFraction() : 0,
        spec.validationFraction());
    RowParser parser = new RowParser(input.format(), trainSources.size(), rule, spec.labelKind(), spec.label(),
        all.stream().map(Source::display).toList(),
        spec.labelKind() == DataSpec.LabelKind.CLASS ? request.classes() : 0, spec.weight());
    boolean weighted = spec.weight() != null;

    // Pass: validate every row, count rows per split and input partition.
    List<Summary> summaries = indexed.mapPartitions(it -> List.of(Summary.of(parser, it)).iterator()).collect();
    long[] splitRows = new long[3];
    long[][] offsets = offsets(summaries, splitRows);
    checkCounts(trainSources, testSources, splitRows, spec);
    boolean sparse = input.format().sparse();
    long nonzeros = summaries.stream().mapToLong(s -> s.nonzeros).sum();

    // Every row to its partition by (split, id), then straight to its place in the partition's blocks
    // (ids fix the place, so no sort and no buffering: data larger than memory spills as blocks).
    // Statistics are then read from the blocks in id order, so they depend on training.partitions only,
    // never on how the input was split into files or in which order the shuffle delivered rows.
    int d = features.size();
    long allRows = splitRows[0] + splitRows[1] + splitRows[2];
    int blockRows = sparse ? sparseBlockRows(spec.blockRows(), (double) nonzeros / Math.max(1, allRows))
        : blockRows(spec.blockRows(), d);
    StorageLevel level = StorageLevel.fromString(spec.storageLevel());
    JavaRDD<PartitionData> raw = indexed
        .mapPartitionsWithIndex((p, it) -> parser.keyed(it, offsets[p]), true)
        .mapToPair(t -> t)
        .partitionBy(new SplitRangePartitioner(partitions, splitRows))
        .mapPartitionsWithIndex((p, it) -> List.of(sparse
            ? BlockBuilder.placeSparse(p, partitions, splitRows, d, blockRows, it)
            : BlockBuilder.place(p, partitions, splitRows, d, blockRows, it, weighted)).iterator(), true)
        .setName("spark-sgd raw training blocks");
    raw.persist(level);

    List<String> statNames = new ArrayList<>(features);
    statNames.add(spec.label());
    FeatureStats dense = weighted ? weightedStats(raw, d, statNames, spec, trainSources.get(0).display())
        : summarized(raw, d, sparse, statNames, spec);
    int bad = dense.firstNonFinite();
    if (bad >= 0) {
      raw.unpersist(false);
      // Finite values whose sum or square overflows (e.g. 1e308) would only show up as a diverged step.
      throw new DataException(trainSources.get(0).display(), 0, statNames.get(bad), "the training rows' statistics "
          + "overflow (mean " + dense.mean()[bad] + ", std " + dense.std()[bad] + "): values this large "
          + "cannot be summed in doubles; rescale the column");
    }
    CategoricalEncoder encoding = input.format() instanceof EncodedFormat ef ? ef.encoder() : null;
    FeatureStats featureStats = encoding != null ? encoding.passThrough(sparse ? dense.uncentered() : dense)
        : sparse ? dense.uncentered() : dense; // one-hot slots stay 0/1

    // Pass: the normalized copy is what training reads; the raw copy goes once it is built.
    JavaRDD<PartitionData> data = raw;
    if (request.rows() == CachedRows.NORMALIZED) {
      Precision precision = request.precision(); // the task captures the precision, not the request
      int group = float32Group(spec.blockRows(), blockRows);
      data = raw.map(pd -> BlockBuilder.normalized(pd, featureStats, precision, group))
          .setName("spark-sgd training blocks");
      data.persist(level);
    }
    long cachedBytes = data.map(PartitionData::bytes).reduce(Long::sum);
    if (data != raw) {
      raw.unpersist(false);
    }
    return new TrainingData(data, featureStats, List.copyOf(features), spec.label(), splitRows, cachedBytes,
        encoding);
  }

  /**
   * Each input partition's first row id per split (its rows are numbered after the partitions before it);
   * {@code splitRows} receives the rows per split. The first invalid row found is thrown.
   */
  private static long[][] offsets(List<Summary> summaries, long[] splitRows) {
    long[][] offsets = new long[summaries.size()][3];
    for (int p = 0; p < summaries.size(); p++) {
      Summary s = summaries.get(p);
      if (s.error != null) {
        throw s.error;
      }
      for (int k = 0; k < 3; k++) {
        offsets[p][k] = splitRows[k];
        splitRows[k] += s.counts[k];
      }
    }
    return offsets;
  }

  /** Weighted statistics of sample-weighted training rows, block by block in id order, merged in partition order. */
  private static FeatureStats weightedStats(JavaRDD<PartitionData> raw, int d, List<String> statNames, DataSpec spec,
      String file) {
    WeightedMoments all = new WeightedMoments(d + 1);
    for (WeightedMoments part : raw.map(pd -> {
      WeightedMoments m = new WeightedMoments(d + 1);
      double[] row = new double[d + 1];
      for (Block b : pd.blocks(Split.TRAIN)) {
        for (int r = 0; r < b.rows; r++) {
          b.rowInto(r, row, 0);
          row[d] = b.y[r];
          m.add(row, b.w[r]);
        }
      }
      return m;
    }).collect()) {
      all.merge(part);
    }
    if (!(all.weight() > 0)) {
      raw.unpersist(false);
      throw new DataException(file, 0, spec.weight(), "every training row weighs 0 (data.weight)");
    }
    return FeatureStats.of(statNames, all, spec.normalize(), spec.normalizeLabel());
  }

  /** Statistics of the training rows, block by block in id order, merged in partition order. */
  private static FeatureStats summarized(JavaRDD<PartitionData> raw, int d, boolean sparse, List<String> statNames,
      DataSpec spec) {
    MultivariateOnlineSummarizer stats = new MultivariateOnlineSummarizer();
    for (MultivariateOnlineSummarizer part : raw.map(pd -> {
      MultivariateOnlineSummarizer s = new MultivariateOnlineSummarizer();
      double[] row = sparse ? null : new double[d + 1];
      for (Block b : pd.blocks(Split.TRAIN)) {
        for (int r = 0; r < b.rows; r++) {
          s.add(FoldStats.withLabel(b, r, row)); // sparse rows O(nonzeros); a dense row is read, not kept
        }
      }
      return s;
    }).collect()) {
      stats.merge(part);
    }
    return FeatureStats.of(statNames, stats, spec.normalize(), spec.normalizeLabel());
  }

  /**
   * Rows per CSR block: the configured number, or (0) about 256 KB of column indices and values (12 bytes
   * a nonzero) at the data's mean nonzeros per row, 16 to 65,536 rows.
   */
  public static int sparseBlockRows(int configured, double meanNonzeros) {
    if (configured > 0) {
      return configured;
    }
    return (int) Math.max(16, Math.min(65536, (256 * 1024) / (12 * Math.max(1, meanNonzeros) + 8)));
  }

  /** The configured rows per block, or (0) about 256 KB of features per block, 16 to 4,096 rows. */
  public static int blockRows(int configured, int features) {
    if (configured > 0) {
      return configured;
    }
    return Math.max(16, Math.min(4096, (256 * 1024) / (8 * Math.max(1, features))));
  }

  /**
   * How many raw dense blocks one float32 block joins: 2 when the size is automatic and the joined block
   * stays within 4,096 rows, so a float32 block holds the same ~256 KB as a float64 one. Measured on the
   * 2-core machine (2,000,000 x 32, linear, full batch): float32 blocks of 1,024 rows made the pass 0.61-0.73x
   * the float64 one, blocks of 2,048 rows 0.48-0.58x: half as many BLAS calls and loss loops per byte.
   */
  public static int float32Group(int configured, int blockRows) {
    return configured == 0 && blockRows * 2 <= 4096 ? 2 : 1;
  }

  private static void checkCounts(List<Source> train, List<Source> test, long[] splitRows, DataSpec spec) {
    if (splitRows[Split.TRAIN.ordinal()] + splitRows[Split.VALIDATION.ordinal()]
        + (spec.test() == null ? splitRows[Split.TEST.ordinal()] : 0) == 0) {
      throw new DataException(train.get(0).display(), "has a header but no data rows");
    }
    if (!test.isEmpty() && splitRows[Split.TEST.ordinal()] == 0) {
      throw new DataException(test.get(0).display(), "has a header but no data rows");
    }
    if (splitRows[Split.TRAIN.ordinal()] == 0) {
      throw new DataException(train.get(0).display(), "no training rows are left after the test/validation split");
    }
  }

  /** All sources' non-blank data lines, numbered per file, in source and line order. */
  public static JavaRDD<SourceLine> numberedLines(JavaSparkContext jsc, List<Source> sources, int partitions,
      boolean header) {
    return lines(jsc, sources, partitions, header);
  }

  static JavaRDD<SourceLine> lines(JavaSparkContext jsc, List<Source> sources, int partitions, boolean header) {
    List<JavaRDD<SourceLine>> parts = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      Source s = sources.get(i);
      int index = i;
      JavaRDD<SourceLine> numbered;
      if (s.builtin()) {
        List<String> text = s.builtinLines();
        List<SourceLine> ls = new ArrayList<>(text.size());
        for (int n = 0; n < text.size(); n++) {
          ls.add(new SourceLine(index, n + 1, text.get(n)));
        }
        numbered = jsc.parallelize(ls, 1);
      } else {
        numbered = jsc.textFile(s.uri(), Math.max(1, partitions)).zipWithIndex()
            .map(t -> new SourceLine(index, t._2() + 1, t._1()));
      }
      parts.add(numbered.filter(l -> (!header || l.line() > 1) && !CsvLineParser.isBlank(l.text())));
    }
    JavaRDD<SourceLine> union = parts.get(0);
    for (int i = 1; i < parts.size(); i++) {
      union = union.union(parts.get(i));
    }
    return union;
  }

  /** Parses and assigns rows; shipped to tasks. */
  static final class RowParser implements Serializable {
    final LineFormat format;
    final int trainSources;
    final SplitRule rule;
    final DataSpec.LabelKind labelKind;
    final String label;
    final List<String> files;
    final int classes;
    final String weight; // data.weight: rows are [features..., weight, label]; or null

    RowParser(LineFormat format, int trainSources, SplitRule rule, DataSpec.LabelKind labelKind, String label,
        List<String> files, int classes, String weight) {
      this.weight = weight;
      this.format = format;
      this.trainSources = trainSources;
      this.rule = rule;
      this.labelKind = labelKind;
      this.label = label;
      this.files = files;
      this.classes = classes;
    }

    Split split(SourceLine l, long ordinal) {
      return l.source() >= trainSources ? Split.TEST : rule.assign(ordinal);
    }

    double[] values(SourceLine l) {
      double[] v = format.parse(l);
      double y = v[v.length - 1];
      if (weight != null && !(v[v.length - 2] >= 0)) {
        throw new DataException(files.get(l.source()), l.line(), weight,
            "data.weight needs sample weights >= 0 (got " + v[v.length - 2] + ")");
      }
      if (labelKind == DataSpec.LabelKind.BINARY && y != 0 && y != 1) {
        throw new DataException(files.get(l.source()), l.line(), label,
            "model.loss = bce needs labels 0 or 1 (got " + y + ")");
      }
      if (labelKind == DataSpec.LabelKind.CLASS && (y < 0 || y != Math.rint(y) || (classes > 0 && y >= classes))) {
        throw new DataException(files.get(l.source()), l.line(), label, "model.loss = softmax needs class labels 0.."
            + (classes > 0 ? String.valueOf(classes - 1) : "K-1") + " (got " + y + ")");
      }
      return v;
    }

    /** Lazily turns numbered lines into ((split, id), normalized values); ids continue from offsets. */
    Iterator<Tuple2<Long, double[]>> keyed(Iterator<Tuple2<SourceLine, Long>> it, long[] offsets) {
      long[] next = offsets.clone();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public Tuple2<Long, double[]> next() {
          Tuple2<SourceLine, Long> t = it.next();
          Split s = split(t._1(), t._2());
          double[] v = values(t._1());
          return new Tuple2<>(SplitRangePartitioner.key(s, next[s.ordinal()]++), v);
        }
      };
    }
  }

  /** One input partition's validation result: counts per split and the first bad row. */
  static final class Summary implements Serializable {
    final long[] counts = new long[3];
    long nonzeros;
    DataException error;

    static Summary of(RowParser parser, Iterator<Tuple2<SourceLine, Long>> it) {
      Summary s = new Summary();
      while (it.hasNext()) {
        Tuple2<SourceLine, Long> t = it.next();
        try {
          double[] v = parser.values(t._1());
          s.counts[parser.split(t._1(), t._2()).ordinal()]++;
          s.nonzeros += v.length / 2; // sparse rows: [c0, v0, ..., label]
        } catch (DataException e) {
          s.error = e; // lines arrive in file order, so the first one here is this partition's earliest
          break;
        }
      }
      return s;
    }
  }
}
