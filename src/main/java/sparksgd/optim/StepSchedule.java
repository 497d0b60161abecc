package sparksgd.optim;

/** {@code rate = base * gamma^floor(epoch / everyEpochs)}: drops by gamma every few epochs. */
public final class StepSchedule implements LearningRateSchedule {
  private static final long serialVersionUID = 1L;
  private final int everyEpochs;
  private final double gamma;

  public StepSchedule(int everyEpochs, double gamma) {
    if (everyEpochs < 1) {
      throw new IllegalArgumentException("schedule every-epochs must be >= 1, got " + everyEpochs);
    }
    if (!(gamma > 0 && gamma <= 1)) {
      throw new IllegalArgumentException("schedule gamma must be in (0, 1], got " + gamma);
    }
    this.everyEpochs = everyEpochs;
    this.gamma = gamma;
  }

  @Override
  public double rate(double baseRate, int epoch) {
    return baseRate * Math.pow(gamma, Math.max(epoch, 0) / everyEpochs);
  }

  @Override
  public String toString() {
    return "step(everyEpochs=" + everyEpochs + ", gamma=" + gamma + ")";
  }
}
