package sparksgd.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;
import sparksgd.data.DataException;
import sparksgd.job.JobConfigException;
import sparksgd.train.TrainingDivergedException;

/**
 * The one place where failures become exit codes: one clear {@code error:} line on stderr, and a
 * stack trace only with {@code --verbose}.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
    boolean verbose = parsed.hasMatchedOption("--verbose")
        || (parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--verbose"));
    Throwable cause = find(ex);
    int code = codeFor(cause);
    String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    if (code == ExitCodes.FAILURE && cause == ex && !(cause instanceof UserFacingException)) {
      message = cause.getClass().getSimpleName() + ": " + message;
    }
    cl.getErr().println("error: " + firstLine(message));
    if (verbose) {
      ex.printStackTrace(cl.getErr());
    } else if (code == ExitCodes.FAILURE && !(cause instanceof UserFacingException)) {
      cl.getErr().println("(run with --verbose for the stack trace)");
    }
    cl.getErr().flush();
    return code;
  }

  static int codeFor(Throwable t) {
    if (t instanceof JobConfigException) {
      return ExitCodes.USAGE;
    }
    if (t instanceof DataException) {
      return ExitCodes.DATA;
    }
    if (t instanceof TrainingDivergedException) {
      return ExitCodes.DIVERGED;
    }
    if (t instanceof UserFacingException u) {
      return u.exitCode();
    }
    return ExitCodes.FAILURE;
  }

  /** The most meaningful exception in a cause chain (Spark wraps task failures). */
  static Throwable find(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (codeFor(c) != ExitCodes.FAILURE || c instanceof UserFacingException) {
        return c;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return t;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
