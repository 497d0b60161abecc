package sparksgd.train;

import java.io.PrintWriter;
import java.util.Locale;

/** One line per epoch: loss, the validation/test headline metric, time and ETA. */
public final class ProgressPrinter implements EpochListener {
  private final PrintWriter out;
  private final int epochs;
  private final Metric metric;
  private final long started = System.nanoTime();
  private int firstEpoch = -1;

  public ProgressPrinter(PrintWriter out, int epochs, Metric metric) {
    this.out = out;
    this.epochs = epochs;
    this.metric = metric;
  }

  @Override
  public boolean afterEpoch(EpochRecord r, TrainerState state) {
    if (firstEpoch < 0) {
      firstEpoch = r.epoch();
    }
    double elapsed = (System.nanoTime() - started) / 1e9;
    double perEpoch = elapsed / (r.epoch() - firstEpoch + 1);
    StringBuilder sb = new StringBuilder();
    int w = String.valueOf(epochs).length();
    sb.append(String.format(Locale.ROOT, "epoch %" + w + "d/%d  loss %.5g", r.epoch(), epochs, r.trainLoss()));
    if (!Double.isNaN(r.validationMetric())) {
      sb.append(String.format(Locale.ROOT, "  val_loss %.5g  val_%s %.4g", r.validationLoss(), metric.key(),
          r.validationMetric()));
    }
    if (!Double.isNaN(r.testMetric())) {
      sb.append(String.format(Locale.ROOT, "  test_loss %.5g  test_%s %.4g", r.testLoss(), metric.key(), r.testMetric()));
    }
    sb.append(String.format(Locale.ROOT, "  %.2fs  ETA %s", r.seconds(), clock(perEpoch * (epochs - r.epoch()))));
    out.println(sb);
    return true;
  }

  static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
