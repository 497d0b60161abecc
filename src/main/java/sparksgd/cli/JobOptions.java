package sparksgd.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import sparksgd.job.JobLoader;
import sparksgd.job.JobSpec;

/** Options every job-running command shares: overrides, master, verbosity. */
final class JobOptions {
  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override a job key, e.g. --set optimizer.learning-rate=0.01 (repeatable).")
  List<String> sets = new ArrayList<>();

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master, e.g. local[4] or spark://host:7077 (overrides spark.master).")
  String master;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  JobSpec load(String jobFile) {
    return JobLoader.load(readJob(jobFile), jobFile, sets);
  }

  /** Job text from a local file, or from any Hadoop URI (so spark-submit can read it from HDFS). */
  static String readJob(String jobFile) {
    try {
      if (jobFile.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") && !jobFile.startsWith("file:")) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(jobFile);
        try (InputStream in = p.getFileSystem(new org.apache.hadoop.conf.Configuration()).open(p)) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      Path local = Path.of(jobFile.startsWith("file:") ? java.net.URI.create(jobFile).getPath() : jobFile);
      return Files.readString(local, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new UserFacingException(ExitCodes.USAGE, "job file not found: " + jobFile);
    } catch (IOException | RuntimeException e) {
      throw new UserFacingException(ExitCodes.USAGE, "cannot read job file " + jobFile + ": " + e.getMessage());
    }
  }
}
