package sparksgd.cli;

import java.util.List;
import java.util.regex.Pattern;

/** How the user started us, for hints that print a command to run next. */
final class Launcher {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  private Launcher() {}

  /** {@code scripts/spark-sgd} as typed (the launcher passes its $0), else {@code spark-sgd}. */
  static String name() {
    String n = System.getProperty("sparksgd.launcher");
    return n == null || n.isBlank() ? "spark-sgd" : n;
  }

  /** Words joined for a POSIX shell: anything but plain characters goes in single quotes. */
  static String shellWords(List<String> words) {
    StringBuilder sb = new StringBuilder();
    for (String w : words) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(PLAIN.matcher(w).matches() ? w : "'" + w.replace("'", "'\\''") + "'");
    }
    return sb.toString();
  }
}
