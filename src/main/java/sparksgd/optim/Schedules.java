package sparksgd.optim;

import sparksgd.model.ConfigNames;

/** Learning-rate schedules by config name. */
public final class Schedules {
  private Schedules() {}

  /**
   * {@code constant}, {@code step} (uses everyEpochs, gamma), {@code exponential} (gamma) or
   * {@code cosine} (totalEpochs, minRate). Settings a schedule does not use are ignored.
   */
  public static LearningRateSchedule create(String name, int everyEpochs, double gamma, double minRate,
      int totalEpochs) {
    return create(ConfigNames.parse(ScheduleType.class, "schedule", name), everyEpochs, gamma, minRate, totalEpochs);
  }

  public static LearningRateSchedule create(ScheduleType type, int everyEpochs, double gamma, double minRate,
      int totalEpochs) {
    return switch (type) {
      case CONSTANT -> new ConstantSchedule();
      case STEP -> new StepSchedule(everyEpochs, gamma);
      case EXPONENTIAL -> new ExponentialSchedule(gamma);
      case COSINE -> new CosineSchedule(totalEpochs, minRate);
    };
  }
}
