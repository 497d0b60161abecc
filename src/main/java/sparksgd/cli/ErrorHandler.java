package sparksgd.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;
import sparksgd.data.DataException;
import sparksgd.job.JobConfigException;
import sparksgd.store.RunLockedException;
import sparksgd.store.StoreException;
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
    String plain = plainWords(ex);
    boolean known = knownWords(cause);
    if (plain != null && !known) {
      message = plain;
    } else if (code == ExitCodes.FAILURE && cause == ex && !known) {
      message = cause.getClass().getSimpleName() + ": " + message;
    }
    cl.getErr().println("error: " + oneLine(message));
    if (verbose) {
      ex.printStackTrace(cl.getErr());
    } else if (code == ExitCodes.FAILURE && !known && plain == null) {
      cl.getErr().println("(run with --verbose for the stack trace)");
    }
    cl.getErr().flush();
    return code;
  }

  static int codeFor(Throwable t) {
    if (t instanceof RunLockedException) {
      return ExitCodes.USAGE; // another run writes there: choose another --out, or wait
    }
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

  /** Messages written for the user as they stand: no class name in front. */
  private static boolean knownWords(Throwable t) {
    return t instanceof UserFacingException || t instanceof StoreException || codeFor(t) != ExitCodes.FAILURE;
  }

  /** Plain words for well-known low-level failures anywhere in the chain, or null. */
  static String plainWords(Throwable t) {
    for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
      if (c instanceof java.net.UnknownHostException) {
        return "unknown host '" + c.getMessage() + "'";
      }
      if (c instanceof java.nio.file.AccessDeniedException || c instanceof org.apache.hadoop.security.AccessControlException) {
        return "permission denied: " + c.getMessage();
      }
      if (c instanceof OutOfMemoryError) {
        return "out of memory (give the JVM more, e.g. SPARK_SGD_JAVA_OPTS=-Xmx8g): " + c.getMessage();
      }
    }
    return null;
  }

  /** Longest error line: a value quoted from a user's file must not flood the terminal. */
  static final int MAX_LINE = 1000;

  /** The first line, control characters shown as '?', at most {@link #MAX_LINE} characters. */
  static String oneLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    StringBuilder sb = new StringBuilder(Math.min(line.length(), MAX_LINE + 20));
    for (int i = 0; i < line.length() && sb.length() < MAX_LINE; i++) {
      char c = line.charAt(i);
      sb.append(c < 0x20 && c != '\t' || c == 0x7f ? '?' : c);
    }
    if (line.length() > MAX_LINE) {
      sb.append("... (").append(line.length() - MAX_LINE).append(" more characters)");
    }
    return sb.toString();
  }
}
