package sparksgd.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code spark-sgd <command> [options]}. Also the spark-submit main class. */
@Command(name = "spark-sgd", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
    description = "Train linear and MLP models on Apache Spark by synchronous data-parallel mini-batch SGD.",
    subcommands = {TrainCommand.class, CvCommand.class, PredictCommand.class, EvaluateCommand.class, GenerateCommand.class, SweepCommand.class, sparksgd.bench.BenchCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Exit codes: 0 ok, 1 other failure, 2 bad usage or config, 3 bad data, 4 training diverged, "
        + "5 stopped on request after writing a checkpoint (a signal gives 130 for Ctrl-C, 143 for SIGTERM)."})
public final class Main implements Runnable {
  /** netlib says through java.util.logging which BLAS it loaded, on every start; --version tells that. */
  private static final java.util.logging.Logger NETLIB = quiet("dev.ludovic.netlib");

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
    l.setLevel(java.util.logging.Level.WARNING);
    return l; // held in a static field: JUL keeps loggers only weakly
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this), "a command is required (try --help)");
  }

  public static void main(String[] args) {
    int code = run(args);
    if (code == ExitCodes.OK && insideYarnApplicationMaster()) {
      return; // the ApplicationMaster reports success only when main returns (see below)
    }
    System.exit(code);
  }

  /**
   * True for a driver in YARN cluster deploy mode, which runs inside the ApplicationMaster (it sets
   * {@code spark.yarn.app.id} as a system property, in that mode only). There any System.exit, even
   * with 0, ends the attempt as FAILED ("Shutdown hook called before final status was reported") and
   * YARN runs another attempt; a failure must still exit, so that YARN retries it.
   */
  static boolean insideYarnApplicationMaster() {
    return System.getProperty("spark.yarn.app.id") != null;
  }

  /** Runs a command line and returns its exit code (tests call this instead of main). */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  public static int run(PrintWriter out, PrintWriter err, String... args) {
    boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
    SparkLogNoise.apply(verbose);
    try {
      return execute(out, err, args);
    } catch (Error e) {
      // Errors escape picocli's handler; still one line (an OutOfMemoryError names no file, so say what to try).
      err.println("error: " + ErrorHandler.oneLine(e.getClass().getSimpleName() + ": " + e.getMessage())
          + (e instanceof OutOfMemoryError ? " (give the JVM more memory, e.g. SPARK_SGD_JAVA_OPTS=-Xmx8g)" : ""));
      if (verbose) {
        e.printStackTrace(err);
      }
      err.flush();
      return ExitCodes.FAILURE;
    }
  }

  private static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(new ErrorHandler());
    cl.setParameterExceptionHandler((ex, a) -> {
      err.println("error: " + ErrorHandler.oneLine(ex.getMessage()));
      err.println("Try 'spark-sgd " + commandPath(ex.getCommandLine()) + "--help' for usage.");
      return ExitCodes.USAGE;
    });
    return cl.execute(args);
  }

  private static String commandPath(CommandLine cl) {
    String name = cl.getCommandName();
    return "spark-sgd".equals(name) ? "" : name + " ";
  }
}
