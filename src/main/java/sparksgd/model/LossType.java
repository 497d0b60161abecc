package sparksgd.model;

/** The losses by config name ({@code model.loss}); {@link #loss()} is the loss itself. */
public enum LossType {
  MSE, BCE, SOFTMAX;

  public Loss loss() {
    return switch (this) {
      case MSE -> Losses.MSE;
      case BCE -> Losses.BCE;
      case SOFTMAX -> Losses.SOFTMAX;
    };
  }

  /** Classification: a loss over classes (bce, softmax) rather than real labels. */
  public boolean classification() {
    return this != MSE;
  }

  @Override
  public String toString() {
    return ConfigNames.of(this);
  }
}
