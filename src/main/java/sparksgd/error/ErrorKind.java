package sparksgd.error;

/**
 * What kind of failure an error is, named where it happens; the CLI maps each kind to its documented
 * exit code in one place ({@code cli/ErrorHandler}), so no package below the CLI knows exit codes.
 */
public enum ErrorKind {
  /** Bad command line, job configuration or output folder: the user changes what they asked for. */
  USAGE,
  /** Bad input data, or a damaged model or checkpoint: the message names file, line and column. */
  DATA,
  /** Training diverged (a NaN or infinite loss). */
  DIVERGED,
  /** Anything else (I/O, Spark, a bug), though with a message written for the user. */
  OTHER
}
