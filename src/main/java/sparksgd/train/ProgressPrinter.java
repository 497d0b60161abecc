package sparksgd.train;

import java.io.PrintStream;
import java.util.Locale;

/** One line per epoch: loss, validation/test MAE, time and ETA. */
public final class ProgressPrinter implements EpochListener {
  private final PrintStream out;
  private final int epochs;
  private final String metric;
  private final long started = System.nanoTime();
  private int firstEpoch = -1;

  /** {@code metric}: the headline metric's name (mae, accuracy). */
  public ProgressPrinter(PrintStream out, int epochs, String metric) {
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
    if (!Double.isNaN(r.validationMae())) {
      sb.append(String.format(Locale.ROOT, "  val_loss %.5g  val_%s %.4g", r.validationLoss(), metric, r.validationMae()));
    }
    if (!Double.isNaN(r.testMae())) {
      sb.append(String.format(Locale.ROOT, "  test_loss %.5g  test_%s %.4g", r.testLoss(), metric, r.testMae()));
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
