package sparksgd.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A self-contained {@code report.html}: title, notes, a summary table, figures referenced as files beside
 * it ({@code <img src="loss.png">}), and the job's configuration. No external CSS or JavaScript; every
 * text is HTML-escaped. The markup is also well-formed XML, so tests can parse it.
 */
public final class ReportHtml {
  /** A picture beside the report: a plain file name (letters, digits, '.', '_', '-') and its caption. */
  public record Figure(String file, String caption) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public Figure {
      Objects.requireNonNull(file, "file");
      if (!NAME.matcher(file).matches() || file.contains("..")) {
        throw new IllegalArgumentException("figure file must be a plain file name beside the report, got " + file);
      }
      caption = caption == null ? "" : caption;
    }
  }

  private static final String STYLE = """
      body { font-family: -apple-system, "Segoe UI", "DejaVu Sans", Arial, sans-serif; margin: 2em auto;
             max-width: 900px; padding: 0 1em; color: #222; line-height: 1.4; }
      h1 { font-size: 1.6em; border-bottom: 1px solid #ccc; padding-bottom: .3em; }
      h2 { font-size: 1.2em; margin-top: 1.8em; }
      table { border-collapse: collapse; margin: .5em 0; }
      th, td { border: 1px solid #ccc; padding: .3em .8em; }
      th { background: #f3f3f3; text-align: left; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; font-family: "DejaVu Sans Mono", monospace; }
      figure { margin: 1.2em 0; }
      figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }
      figcaption { color: #555; font-size: .9em; margin-top: .3em; }
      pre { background: #f7f7f7; border: 1px solid #ddd; padding: .8em; overflow-x: auto; font-size: .85em; }
      p.note { color: #444; }
      footer { color: #888; font-size: .8em; margin-top: 3em; }
      """;

  private ReportHtml() {}

  /** {@link #render(String, List, Map, String, List)} without notes. */
  public static String render(String title, Map<String, Map<String, Double>> metrics, String jobText,
      List<Figure> figures) {
    return render(title, List.of(), metrics, jobText, figures);
  }

  /**
   * The page.
   *
   * @param notes paragraphs under the title (plain text, escaped); may be empty
   * @param metrics column (e.g. "train", "test") to metric name (e.g. "mse") to value; one row per metric
   *     name, in first-seen order; a missing or NaN value shows as a dash; null or empty: no table
   * @param jobText the job's configuration, shown verbatim in a {@code <pre>}; null or blank: no section
   * @param figures images beside the report, shown in order
   */
  public static String render(String title, List<String> notes, Map<String, Map<String, Double>> metrics,
      String jobText, List<Figure> figures) {
    return render(title, notes, metrics, jobText, figures, null);
  }

  /** The page with a classifier's test-set confusion matrix under the summary ({@code confusion} may be null). */
  public static String render(String title, List<String> notes, Map<String, Map<String, Double>> metrics,
      String jobText, List<Figure> figures, ConfusionTable confusion) {
    StringBuilder h = new StringBuilder(4096);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
        .append("<title>").append(escape(title)).append("</title>\n")
        .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n")
        .append("<h1>").append(escape(title)).append("</h1>\n");
    for (String n : notes == null ? List.<String>of() : notes) {
      h.append("<p class=\"note\">").append(escape(n)).append("</p>\n");
    }
    if (metrics != null && !metrics.isEmpty()) {
      h.append("<h2>Summary</h2>\n").append(table(metrics));
    }
    if (confusion != null) {
      h.append("<h2>Confusion matrix, test set</h2>\n").append(confusion.html())
          .append("<p class=\"note\">Rows are the actual classes, columns the predicted ones; a cell's shade is its "
              + "share of the row, so a good model shows a dark diagonal whatever the class sizes.</p>\n");
    }
    if (figures != null && !figures.isEmpty()) {
      h.append("<h2>Charts</h2>\n");
      for (Figure f : figures) {
        h.append("<figure>\n<img src=\"").append(escape(f.file())).append("\" alt=\"").append(escape(f.caption()))
            .append("\"/>\n<figcaption>").append(escape(f.caption())).append("</figcaption>\n</figure>\n");
      }
    }
    if (jobText != null && !jobText.isBlank()) {
      h.append("<h2>Job configuration</h2>\n<pre>").append(escape(jobText)).append("</pre>\n");
    }
    h.append("<footer>Generated by spark-sgd.</footer>\n</body>\n</html>\n");
    return h.toString();
  }

  private static String table(Map<String, Map<String, Double>> metrics) {
    Set<String> rows = new LinkedHashSet<>();
    for (Map<String, Double> col : metrics.values()) {
      if (col != null) {
        rows.addAll(col.keySet());
      }
    }
    StringBuilder t = new StringBuilder("<table>\n<thead><tr><th>metric</th>");
    for (String col : metrics.keySet()) {
      t.append("<th>").append(escape(col)).append("</th>");
    }
    t.append("</tr></thead>\n<tbody>\n");
    for (String row : rows) {
      t.append("<tr><th>").append(escape(row)).append("</th>");
      for (Map<String, Double> col : metrics.values()) {
        Double v = col == null ? null : col.get(row);
        t.append("<td class=\"num\">").append(escape(format(v))).append("</td>");
      }
      t.append("</tr>\n");
    }
    return t.append("</tbody>\n</table>\n").toString();
  }

  /** A table cell's number: integers as such, else 6 significant digits; a dash when absent. */
  static String format(Double v) {
    if (v == null || v.isNaN()) {
      return "\u2013";
    }
    if (v.isInfinite()) {
      return v > 0 ? "\u221e" : "-\u221e";
    }
    double d = v;
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    double a = Math.abs(d);
    if (a >= 1e-4 && a < 1e9) {
      return new BigDecimal(d).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
    return String.format(Locale.ROOT, "%.5e", d);
  }

  /** Escapes {@code & < > " '} so any text is inert in element content and in quoted attributes. */
  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          // control characters other than tab/newline/CR are not allowed in XML and mean nothing in HTML
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            b.append('\uFFFD');
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
