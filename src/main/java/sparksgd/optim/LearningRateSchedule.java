package sparksgd.optim;

import java.io.Serializable;

/** The learning rate as a function of the 0-based epoch (and the base rate). */
public interface LearningRateSchedule extends Serializable {
  double rate(double baseRate, int epoch);
}
