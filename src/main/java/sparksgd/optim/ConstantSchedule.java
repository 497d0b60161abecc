package sparksgd.optim;

/** The base rate in every epoch. */
public final class ConstantSchedule implements LearningRateSchedule {
  private static final long serialVersionUID = 1L;

  @Override
  public double rate(double baseRate, int epoch) {
    return baseRate;
  }

  @Override
  public String toString() {
    return "constant";
  }
}
