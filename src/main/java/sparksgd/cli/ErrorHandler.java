package sparksgd.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;
import sparksgd.error.ErrorKind;
import sparksgd.error.KnownError;
import sparksgd.store.StoreException;

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
    if (t instanceof UserFacingException u) {
      return u.exitCode();
    }
    if (t instanceof KnownError k) {
      return codeFor(k.kind());
    }
    return ExitCodes.FAILURE;
  }

  /** The documented exit code of each kind of failure (README, "Exit codes"). */
  static int codeFor(ErrorKind kind) {
    return switch (kind) {
      case USAGE -> ExitCodes.USAGE; // includes a run folder locked by another run: choose another --out, or wait
      case DATA -> ExitCodes.DATA;
      case DIVERGED -> ExitCodes.DIVERGED;
      case OTHER -> ExitCodes.FAILURE;
    };
  }

  /** The most meaningful exception in a cause chain (Spark wraps task failures). */
  static Throwable find(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (codeFor(c) != ExitCodes.FAILURE || writtenForUser(c)) {
        return c;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return t;
  }

  /**
   * A failure raised with a message for the user (not a store failure of kind OTHER, whose cause chain may
   * hold a better one).
   */
  private static boolean writtenForUser(Throwable t) {
    return t instanceof UserFacingException || (t instanceof KnownError && !(t instanceof StoreException));
  }

  /** Messages written for the user as they stand: no class name in front. */
  private static boolean knownWords(Throwable t) {
    return t instanceof UserFacingException || t instanceof KnownError;
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
