package sparksgd.train;

import java.util.List;
import java.util.Locale;

/** {@code history.csv}: one row per epoch. Empty cells where a split does not exist. */
public final class HistoryCsv {
  public static final String HEADER =
      "epoch,train_loss,validation_loss,validation_mae,test_loss,test_mae,learning_rate,seconds";

  private HistoryCsv() {}

  public static String render(List<EpochRecord> rows) {
    return render(rows, "mae");
  }

  /** {@code metric}: the headline metric's column suffix (mae for regression, accuracy for classifiers). */
  public static String render(List<EpochRecord> rows, String metric) {
    StringBuilder sb = new StringBuilder(HEADER.replace("_mae", "_" + metric)).append('\n');
    for (EpochRecord r : rows) {
      sb.append(r.epoch()).append(',').append(num(r.trainLoss())).append(',')
          .append(num(r.validationLoss())).append(',').append(num(r.validationMae())).append(',')
          .append(num(r.testLoss())).append(',').append(num(r.testMae())).append(',')
          .append(num(r.learningRate())).append(',').append(String.format(Locale.ROOT, "%.4f", r.seconds()))
          .append('\n');
    }
    return sb.toString();
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
