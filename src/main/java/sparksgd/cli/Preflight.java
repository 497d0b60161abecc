package sparksgd.cli;

import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import sparksgd.data.Source;
import sparksgd.job.JobSpec;
import sparksgd.store.RunFolder;

/**
 * The checks that need no Spark, made before the SparkSession starts so that a mistake is refused
 * in about a second instead of after Spark's start-up: input paths exist, the output folder may be
 * used, the model folder exists. Only local paths (and built-in data sets) are checked here; other
 * file systems may need settings the Spark configuration carries, and are checked after it starts,
 * as before, with the same messages.
 */
final class Preflight {
  private static Configuration conf;

  private Preflight() {}

  /** {@code data.train} and {@code data.test} exist (built-in names are known). */
  static void inputs(JobSpec job) {
    input(job.data().train());
    if (job.data().test() != null) {
      input(job.data().test());
    }
  }

  /** A data file, directory or glob exists (same message as the loader's). */
  static void input(String spec) {
    if (spec.startsWith(Source.BUILTIN) || isLocal(spec)) {
      Source.resolve(spec, conf());
    }
  }

  /** The run folder is empty or absent, or {@code overwrite} allows it. */
  static void outputFolder(String dir, boolean overwrite) {
    if (isLocal(dir)) {
      RunFolder.checkUsable(dir, conf(), overwrite);
    }
  }

  /** An output file does not exist yet, unless {@code overwrite}. */
  static void outputFile(String file, boolean overwrite) {
    if (isLocal(file) && !overwrite && exists(file)) {
      throw new UserFacingException(ExitCodes.USAGE, "output " + file + " exists; pass --overwrite");
    }
  }

  /** The model folder (or run folder) exists. */
  static void modelFolder(String dir) {
    if (isLocal(dir) && !exists(dir)) {
      throw new UserFacingException(ExitCodes.DATA, "cannot load model: " + dir + ": no such folder");
    }
  }

  /** The folder to resume exists. */
  static void runToResume(String dir) {
    if (isLocal(dir) && !exists(dir)) {
      throw new UserFacingException(ExitCodes.USAGE, "nothing to resume: " + dir + " does not exist");
    }
  }

  /**
   * The model's parameters, gradients and optimizer state fit the driver's heap, when the feature count
   * is known before reading (data.num-features); the softmax class count is taken as model.classes, or 2.
   */
  static void driverMemory(JobSpec job) {
    int d = job.data().numFeatures();
    if (d <= 0) {
      return; // inferred from the data, known only after reading
    }
    sparksgd.train.DriverFootprint f = sparksgd.train.DriverFootprint.of(job, d, job.model().classes());
    long heap = Runtime.getRuntime().maxMemory();
    if (f.exceeds(heap)) {
      throw new UserFacingException(ExitCodes.USAGE, String.format(java.util.Locale.ROOT,
          "data.num-features = %,d: the model needs about %s on the driver (%s), more than 80%% of its %.1f GB "
              + "heap; give the driver more memory (spark-submit --driver-memory, or SPARK_SGD_JAVA_OPTS=-Xmx...), "
              + "or use fewer features or hidden units", d, sparksgd.train.DriverFootprint.gigabytes(f.bytes()),
          f.describe(), heap / 1e9));
    }
  }

  /** No scheme (a plain path) or {@code file:}. */
  static boolean isLocal(String uri) {
    try {
      String scheme = new URI(uri).getScheme();
      return scheme == null || scheme.equals("file");
    } catch (java.net.URISyntaxException e) {
      return !uri.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*"); // a glob or odd characters, but no scheme
    }
  }

  private static boolean exists(String path) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
      return p.getFileSystem(conf()).exists(p);
    } catch (java.io.IOException | IllegalArgumentException e) {
      return true; // cannot tell here: the check after Spark starts reports it
    }
  }

  private static synchronized Configuration conf() {
    if (conf == null) {
      conf = new Configuration();
    }
    return conf;
  }
}
