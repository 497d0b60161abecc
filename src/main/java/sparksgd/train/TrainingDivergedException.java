package sparksgd.train;

/** A step produced a NaN or infinite loss or gradient. Exit code 4. */
public final class TrainingDivergedException extends sparksgd.error.KnownError {
  public TrainingDivergedException(int epoch, int step, double loss, double learningRate) {
    super(sparksgd.error.ErrorKind.DIVERGED, "training diverged at epoch " + epoch + ", step " + step + " (loss " + loss + ") with learning rate "
        + learningRate + "; try a lower optimizer.learning-rate, e.g. --set optimizer.learning-rate="
        + (learningRate / 10));
  }
}
