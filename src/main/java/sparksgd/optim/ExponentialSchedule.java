package sparksgd.optim;

/** {@code rate = base * gamma^epoch}. */
public final class ExponentialSchedule implements LearningRateSchedule {
  private static final long serialVersionUID = 1L;
  private final double gamma;

  public ExponentialSchedule(double gamma) {
    if (!(gamma > 0 && gamma <= 1)) {
      throw new IllegalArgumentException("schedule gamma must be in (0, 1], got " + gamma);
    }
    this.gamma = gamma;
  }

  @Override
  public double rate(double baseRate, int epoch) {
    return baseRate * Math.pow(gamma, Math.max(epoch, 0));
  }

  @Override
  public String toString() {
    return "exponential(gamma=" + gamma + ")";
  }
}
