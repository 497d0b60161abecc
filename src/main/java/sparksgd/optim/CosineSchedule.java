package sparksgd.optim;

/**
 * Cosine annealing as PyTorch's CosineAnnealingLR (without restarts):
 * {@code rate = min + (base - min) * (1 + cos(pi * epoch / totalEpochs)) / 2}, the base rate at epoch 0,
 * reaching {@code min} at epoch {@code totalEpochs} and staying there after.
 */
public final class CosineSchedule implements LearningRateSchedule {
  private static final long serialVersionUID = 1L;
  private final int totalEpochs;
  private final double minRate;

  public CosineSchedule(int totalEpochs, double minRate) {
    if (totalEpochs < 1) {
      throw new IllegalArgumentException("schedule total epochs must be >= 1, got " + totalEpochs);
    }
    if (!(minRate >= 0) || Double.isInfinite(minRate)) {
      throw new IllegalArgumentException("schedule min-learning-rate must be finite and >= 0, got " + minRate);
    }
    this.totalEpochs = totalEpochs;
    this.minRate = minRate;
  }

  @Override
  public double rate(double baseRate, int epoch) {
    int e = Math.min(Math.max(epoch, 0), totalEpochs);
    return minRate + (baseRate - minRate) * (1 + Math.cos(Math.PI * e / totalEpochs)) / 2;
  }

  @Override
  public String toString() {
    return "cosine(totalEpochs=" + totalEpochs + ", minRate=" + minRate + ")";
  }
}
