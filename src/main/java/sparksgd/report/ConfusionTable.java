package sparksgd.report;

import java.util.List;
import java.util.Locale;

/**
 * A classifier's confusion matrix as an HTML table: one row per actual class, one column per predicted
 * class, each cell shaded by its share of the row (so a good model shows a dark diagonal whatever the
 * class sizes), and each row's recall at its end.
 */
public final class ConfusionTable {
  private final long[][] counts;
  private final List<String> classNames;

  /**
   * @param counts {@code counts[actual][predicted]}, square
   * @param classNames one per class, in index order
   */
  public ConfusionTable(long[][] counts, List<String> classNames) {
    if (counts.length != classNames.size()) {
      throw new IllegalArgumentException(counts.length + " rows but " + classNames.size() + " class names");
    }
    for (long[] row : counts) {
      if (row.length != counts.length) {
        throw new IllegalArgumentException("a confusion matrix is square: a row has " + row.length + " columns, "
            + "not " + counts.length);
      }
    }
    this.counts = counts;
    this.classNames = List.copyOf(classNames);
  }

  /** The table, every text escaped; well-formed XML like the rest of the page. */
  String html() {
    StringBuilder t = new StringBuilder("<table class=\"confusion\">\n<thead><tr><th>actual \\ predicted</th>");
    for (String name : classNames) {
      t.append("<th>").append(ReportHtml.escape(name)).append("</th>");
    }
    t.append("<th>recall</th></tr></thead>\n<tbody>\n");
    for (int a = 0; a < counts.length; a++) {
      long rowTotal = 0;
      for (long c : counts[a]) {
        rowTotal += c;
      }
      t.append("<tr><th>").append(ReportHtml.escape(classNames.get(a))).append("</th>");
      for (int p = 0; p < counts.length; p++) {
        double share = rowTotal == 0 ? 0 : (double) counts[a][p] / rowTotal;
        // blue for the diagonal (right), red elsewhere (wrong); the alpha is the row share
        String rgb = a == p ? "31,119,180" : "214,39,40";
        t.append(String.format(Locale.ROOT, "<td class=\"num\" style=\"background: rgba(%s,%.2f)\">%d</td>", rgb,
            0.08 + 0.6 * share, counts[a][p]));
      }
      t.append("<td class=\"num\">").append(rowTotal == 0 ? "\u2013"
          : ReportHtml.format((double) counts[a][a] / rowTotal)).append("</td></tr>\n");
    }
    return t.append("</tbody>\n</table>\n").toString();
  }
}
