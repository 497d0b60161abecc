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

  @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
  picocli.CommandLine.Model.CommandSpec mixee;

  /** A job file is a few KB of HOCON; anything beyond this is not one (or is a device). */
  static final int MAX_JOB_BYTES = 1 << 20;

  JobSpec load(String jobFile) {
    return load(jobFile, List.of());
  }

  /** The job with the user's --set overrides, then {@code forced} ones, which win (the option list is not changed). */
  JobSpec load(String jobFile, List<String> forced) {
    List<String> all = new ArrayList<>(sets);
    all.addAll(forced);
    return JobLoader.load(readJob(jobFile), jobFile, all, false, this::warn);
  }

  /** A "warning:" line on the command's error writer. */
  void warn(String message) {
    java.io.PrintWriter err = err();
    err.println("warning: " + message);
    err.flush();
  }

  /** The command's output writer (progress lines): picocli's, so a caller running the command sees them. */
  java.io.PrintWriter out() {
    return mixee == null ? new java.io.PrintWriter(System.out, true) : mixee.commandLine().getOut();
  }

  /** The command's error writer (warnings, interruptions). */
  java.io.PrintWriter err() {
    return mixee == null ? new java.io.PrintWriter(System.err, true) : mixee.commandLine().getErr();
  }

  /** Job text from a local file, or from any Hadoop URI (so spark-submit can read it from HDFS). */
  static String readJob(String jobFile) {
    try {
      if (jobFile.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") && !jobFile.startsWith("file:")) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(jobFile);
        try (InputStream in = p.getFileSystem(new org.apache.hadoop.conf.Configuration()).open(p)) {
          return readBounded(in, jobFile);
        }
      }
      Path local = Path.of(jobFile.startsWith("file:") ? java.net.URI.create(jobFile).getPath() : jobFile);
      if (Files.isDirectory(local)) {
        throw new UserFacingException(ExitCodes.USAGE, "job file " + jobFile + " is a folder");
      }
      try (InputStream in = Files.newInputStream(local)) {
        return readBounded(in, jobFile);
      }
    } catch (NoSuchFileException e) {
      throw new UserFacingException(ExitCodes.USAGE, "job file not found: " + jobFile);
    } catch (UserFacingException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof java.net.UnknownHostException) {
          why = "unknown host '" + c.getMessage() + "'";
        }
      }
      throw new UserFacingException(ExitCodes.USAGE, "cannot read job file " + jobFile + ": " + why);
    }
  }

  /** At most {@link #MAX_JOB_BYTES}, whatever the file claims its size is (a device claims 0). */
  static String readBounded(InputStream in, String name) throws IOException {
    byte[] bytes = in.readNBytes(MAX_JOB_BYTES + 1);
    if (bytes.length > MAX_JOB_BYTES) {
      throw new UserFacingException(ExitCodes.USAGE, "job file " + name + " is larger than " + MAX_JOB_BYTES
          + " bytes: not a job file (a job is a few KB of HOCON)");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
