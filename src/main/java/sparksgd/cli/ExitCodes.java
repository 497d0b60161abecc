package sparksgd.cli;

/** The process exit codes; documented in the README. Other tools rely on these numbers. */
public final class ExitCodes {
  public static final int OK = 0;
  /** Anything unexpected (an I/O failure, a Spark failure, a bug). */
  public static final int FAILURE = 1;
  /** Bad command line or job configuration. */
  public static final int USAGE = 2;
  /** Bad input data (the message names file, line and column). */
  public static final int DATA = 3;
  /** Training diverged: a NaN or infinite loss. */
  public static final int DIVERGED = 4;
  /**
   * Stopped on request (SIGTERM, Ctrl-C) after writing a checkpoint. A process stopped by a signal ends
   * with the shell's 128 + signal status (143 for SIGTERM, 130 for SIGINT) once its checkpoint is safe;
   * this code is returned where the stop came from inside the JVM.
   */
  public static final int INTERRUPTED = 5;

  private ExitCodes() {}
}
