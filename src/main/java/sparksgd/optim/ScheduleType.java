package sparksgd.optim;

import sparksgd.model.ConfigNames;

/** The learning-rate schedules by config name ({@code optimizer.schedule.type}). */
public enum ScheduleType {
  CONSTANT, STEP, EXPONENTIAL, COSINE;

  @Override
  public String toString() {
    return ConfigNames.of(this);
  }
}
