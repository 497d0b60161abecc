package sparksgd.train;

import java.util.List;
import java.util.Locale;

/** {@code history.csv}: one row per epoch. Empty cells where a split does not exist. */
public final class HistoryCsv {
  private HistoryCsv() {}

  /** The header of a run whose headline metric is {@code metric}: validation_mae or validation_accuracy, ... */
  public static String header(Metric metric) {
    return "epoch,train_loss,validation_loss,validation_" + metric.key() + ",test_loss,test_" + metric.key()
        + ",learning_rate,seconds";
  }

  public static String render(List<EpochRecord> rows, Metric metric) {
    StringBuilder sb = new StringBuilder(header(metric)).append('\n');
    for (EpochRecord r : rows) {
      appendRow(sb, r);
    }
    return sb.toString();
  }

  /** One epoch's line (with its newline), as {@link #render} writes it. */
  public static StringBuilder appendRow(StringBuilder sb, EpochRecord r) {
    return sb.append(r.epoch()).append(',').append(num(r.trainLoss())).append(',')
        .append(num(r.validationLoss())).append(',').append(num(r.validationMetric())).append(',')
        .append(num(r.testLoss())).append(',').append(num(r.testMetric())).append(',')
        .append(num(r.learningRate())).append(',').append(String.format(Locale.ROOT, "%.4f", r.seconds()))
        .append('\n');
  }

  /** Reads rows written by {@link #render} back (for a resumed run). */
  public static List<EpochRecord> parse(String csv) {
    List<EpochRecord> out = new java.util.ArrayList<>();
    String[] lines = csv.split("\n");
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      String[] c = lines[i].split(",", -1);
      out.add(new EpochRecord(Integer.parseInt(c[0]), val(c[1]), val(c[2]), val(c[3]), val(c[4]), val(c[5]),
          val(c[6]), val(c[7])));
    }
    return out;
  }

  private static double val(String s) {
    return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "" : Double.toString(v);
  }
}
