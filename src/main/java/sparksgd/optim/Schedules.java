package sparksgd.optim;

import java.util.Locale;

/** Learning-rate schedules by config name. */
public final class Schedules {
  private Schedules() {}

  /**
   * {@code constant}, {@code step} (uses everyEpochs, gamma), {@code exponential} (gamma) or
   * {@code cosine} (totalEpochs, minRate). Settings a schedule does not use are ignored.
   */
  public static LearningRateSchedule create(String name, int everyEpochs, double gamma, double minRate,
      int totalEpochs) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    switch (n) {
      case "constant":
        return new ConstantSchedule();
      case "step":
        return new StepSchedule(everyEpochs, gamma);
      case "exponential":
        return new ExponentialSchedule(gamma);
      case "cosine":
        return new CosineSchedule(totalEpochs, minRate);
      default:
        throw new IllegalArgumentException("unknown schedule '" + name
            + "'; allowed: constant, step, exponential, cosine");
    }
  }
}
