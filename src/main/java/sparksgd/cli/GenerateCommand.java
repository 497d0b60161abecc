package sparksgd.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sparksgd.data.SyntheticRows;
import sparksgd.engine.SparkSessions;
import sparksgd.job.DataSpec.Format;
import sparksgd.job.SparkSpec;
import sparksgd.model.ConfigNames;

/** {@code generate}: synthetic data sets of any size, written in parallel by Spark to any Hadoop URI. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Write a seeded synthetic data set (the same rows whatever the partitioning) in any format.")
final class GenerateCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (local path or Hadoop URI).")
  String out;

  @Option(names = "--rows", defaultValue = "1000", description = "Number of rows (default ${DEFAULT-VALUE}).")
  long rows;

  @Option(names = "--features", defaultValue = "2", description = "Number of features x1..xD (default ${DEFAULT-VALUE}).")
  int features;

  @Option(names = "--kind", defaultValue = "linear", description = "linear (y = w.x + b + noise), mlp (a random "
      + "teacher network with one tanh hidden layer) or sparse-logistic (--nnz features of --features set to 1, a 0/1 "
      + "label from a logistic teacher; written as LibSVM). Default: ${DEFAULT-VALUE}.")
  String kind;

  @Option(names = "--nnz", defaultValue = "40", description = "Nonzeros per row for --kind sparse-logistic.")
  int nnz;

  @Option(names = "--weights", split = ",", paramLabel = "W", description = "Linear weights (default: 2,-3.4 for 2 "
      + "features as in the course, else seeded).")
  double[] weights;

  @Option(names = "--bias", defaultValue = "4.2", description = "Linear bias (default ${DEFAULT-VALUE}).")
  double bias;

  @Option(names = "--noise", defaultValue = "0.01", description = "Std of the label noise (default ${DEFAULT-VALUE}).")
  double noise;

  @Option(names = "--hidden", defaultValue = "16", description = "Teacher hidden units for --kind mlp "
      + "(default ${DEFAULT-VALUE}).")
  int hidden;

  @Option(names = "--format", defaultValue = "csv", description = "csv, parquet, libsvm or whitespace "
      + "(default ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the weights, features and noise: the "
      + "same seed gives the same rows (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--partitions", defaultValue = "0", description = "Output files (0 = Spark's default parallelism).")
  int partitions;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default local[*]).")
  String master;

  @Option(names = "--overwrite", description = "Replace an existing output folder.")
  boolean overwrite;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    // Everything a user typed is checked before anything is written or deleted: a typo must not cost data.
    if (rows < 1 || features < 1 || noise < 0 || hidden < 1) {
      throw new UserFacingException(ExitCodes.USAGE, "--rows, --features and --hidden must be >= 1, --noise >= 0");
    }
    Format f = ConfigNames.find(List.of(Format.values()), format);
    if (f == null) {
      throw new UserFacingException(ExitCodes.USAGE,
          "--format must be csv, parquet, libsvm or whitespace (got " + format + ")");
    }
    if (kind.equals("sparse-logistic")) {
      return sparseLogistic(f);
    }
    SyntheticRows gen;
    try {
      gen = switch (kind) {
        case "linear" -> SyntheticRows.linear(seed, features, weights, bias, noise);
        case "mlp" -> SyntheticRows.teacher(seed, features, hidden, noise);
        default -> throw new UserFacingException(ExitCodes.USAGE,
            "--kind must be linear, mlp or sparse-logistic (got " + kind + ")");
      };
    } catch (IllegalArgumentException e) {
      throw new UserFacingException(ExitCodes.USAGE, e.getMessage());
    }
    Preflight.outputFile(out, overwrite);
    SparkSession spark = SparkSessions.create(new SparkSpec("local[*]", "spark-sgd-generate", java.util.Map.of()), master);
    int parts = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
    clearOutput(spark);
    sparksgd.engine.SparkProgress progress = sparksgd.engine.SparkProgress.producing(spark.sparkContext(),
        "generating " + out, spec.commandLine().getOut(), rows);
    org.apache.spark.util.LongAccumulator made = progress.rowCounter();
    SyntheticRows rowsOf = gen;
    JavaRDD<double[]> values = spark.range(0, rows, 1, parts).javaRDD().map(i -> {
      made.add(1);
      return rowsOf.row(i);
    });
    try {
      write(spark, values, f);
    } finally {
      progress.close();
    }
    spec.commandLine().getOut().printf(Locale.ROOT, "wrote %d rows x %d features (%s, %s) to %s in %d files%n", rows,
        features, kind, format, out, parts);
    return ExitCodes.OK;
  }

  /** An existing output folder is an error, or deleted with --overwrite (only after every check passed). */
  private void clearOutput(SparkSession spark) {
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    if (sparksgd.store.HadoopFiles.exists(conf, sparksgd.store.HadoopFiles.path(out))) {
      if (!overwrite) {
        throw new UserFacingException(ExitCodes.USAGE, "output " + out + " exists; pass --overwrite");
      }
      sparksgd.store.HadoopFiles.delete(conf, sparksgd.store.HadoopFiles.path(out), true);
    }
  }

  /** Rows {@code x1..xD, y} in format {@code f}. */
  private void write(SparkSession spark, JavaRDD<double[]> values, Format f) {
    switch (f) {
      case CSV, PARQUET -> {
        List<StructField> fields = new ArrayList<>();
        for (int j = 1; j <= features + 1; j++) {
          fields.add(DataTypes.createStructField(j <= features ? "x" + j : "y", DataTypes.DoubleType, false));
        }
        Dataset<Row> df = spark.createDataFrame(values.map(v -> {
          Object[] o = new Object[v.length];
          for (int j = 0; j < v.length; j++) {
            o[j] = v[j];
          }
          return RowFactory.create(o);
        }), new StructType(fields.toArray(new StructField[0])));
        if (f == Format.CSV) {
          df.write().mode(SaveMode.ErrorIfExists).option("header", true).csv(out);
        } else {
          df.write().mode(SaveMode.ErrorIfExists).parquet(out);
        }
      }
      case LIBSVM -> values.map(v -> {
        StringBuilder sb = new StringBuilder().append(v[v.length - 1]);
        for (int j = 0; j < v.length - 1; j++) {
          sb.append(' ').append(j + 1).append(':').append(v[j]);
        }
        return sb.toString();
      }).saveAsTextFile(out);
      case WHITESPACE -> values.map(v -> {
        StringBuilder sb = new StringBuilder();
        for (double x : v) {
          sb.append(' ').append(x);
        }
        return sb.toString();
      }).saveAsTextFile(out);
    }
  }

  /** {@code --kind sparse-logistic}: LibSVM lines, one per row id, the same whatever the partitioning. */
  private Integer sparseLogistic(Format f) {
    if (f != Format.CSV && f != Format.LIBSVM) {
      throw new UserFacingException(ExitCodes.USAGE, "--kind sparse-logistic writes libsvm (got --format " + format + ")");
    }
    sparksgd.data.SparseLogisticRows gen;
    try {
      gen = new sparksgd.data.SparseLogisticRows(seed, features, nnz);
    } catch (IllegalArgumentException e) {
      throw new UserFacingException(ExitCodes.USAGE, "--nnz and --features: " + e.getMessage());
    }
    SparkSession spark = SparkSessions.create(new SparkSpec("local[*]", "spark-sgd-generate", java.util.Map.of()), master);
    int parts = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
    clearOutput(spark);
    spark.range(0, rows, 1, parts).javaRDD().map(gen::libsvm).saveAsTextFile(out);
    spec.commandLine().getOut().printf(Locale.ROOT, "wrote %d rows x %d features, %d nonzeros each "
        + "(sparse-logistic, libsvm) to %s in %d "
        + "files%n", rows, features, nnz, out, parts);
    return ExitCodes.OK;
  }
}
