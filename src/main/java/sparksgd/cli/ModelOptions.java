package sparksgd.cli;

import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Option;
import sparksgd.store.StoreException;
import sparksgd.train.TrainedModel;

/** Options of the commands that use a trained model. */
final class ModelOptions {
  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "Model folder (a run's model/ folder, or the run folder itself); local path or Hadoop URI. "
          + "Also a folder saved by Spark ML: an SgdRegressionModel/SgdClassificationModel, a PipelineModel of a "
          + "VectorAssembler and one of those, or a CrossValidatorModel/TrainValidationSplitModel of these.")
  String model;

  @Option(names = "--input", required = true, paramLabel = "FILE",
      description = "CSV with a header: the model's feature columns (numeric and categorical) in any order, and "
          + "its label column (required by evaluate; predict passes it through when present); or LibSVM rows "
          + "(see --format).")
  String input;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto", description = "Input format: csv, "
      + "libsvm (label index:value ..., 1-based indices up to the model's inputs; kept sparse for a model trained "
      + "sparse) or auto (default: libsvm when the file name ends in .libsvm, .svm or .svmlight, before any "
      + "compression suffix; else csv).")
  String format;

  @Option(names = "--delimiter", paramLabel = "C", defaultValue = ",", description = "CSV delimiter (default ,).")
  char delimiter;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default local[*]).")
  String master;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  /** True for LibSVM input (--format libsvm, or auto and a LibSVM file name). */
  boolean libsvm() {
    switch (format) {
      case "csv":
        return false;
      case "libsvm":
        return true;
      case "auto":
        String name = input.toLowerCase(java.util.Locale.ROOT).replaceFirst("\\.(gz|bz2|deflate|lz4|snappy|zst)$", "");
        return name.endsWith(".libsvm") || name.endsWith(".svm") || name.endsWith(".svmlight");
      default:
        throw new UserFacingException(ExitCodes.USAGE, "--format must be csv, libsvm or auto (got '"
            + sparksgd.data.CsvLineParser.shorten(format) + "')");
    }
  }

  TrainedModel load(Configuration conf) {
    String dir = model;
    try {
      org.apache.hadoop.fs.Path inRun = new org.apache.hadoop.fs.Path(model, "model/model.json");
      if (inRun.getFileSystem(conf).exists(inRun)) {
        dir = new org.apache.hadoop.fs.Path(model, "model").toString();
      }
    } catch (java.io.IOException | IllegalArgumentException e) {
      // fall through: loading the given folder reports the problem
    }
    try {
      return sparksgd.ml.SparkMlFolders.load(conf, dir); // a CLI model folder, or one Spark ML saved
    } catch (StoreException e) {
      throw new UserFacingException(ExitCodes.DATA, "cannot load model: " + e.getMessage());
    }
  }

  sparksgd.job.SparkSpec spark() {
    return new sparksgd.job.SparkSpec("local[*]", "spark-sgd", java.util.Map.of());
  }
}
