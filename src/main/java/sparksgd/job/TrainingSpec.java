package sparksgd.job;

import java.io.Serializable;

/** The {@code training} section. */
public record TrainingSpec(int epochs, int batchSize, long seed, int partitions, String engine,
    java.time.Duration stepTimeout, EarlyStopping earlyStopping, sparksgd.model.Precision precision)
    implements Serializable {

  /** {@code training.early-stopping}: {@code metric} is none, validation-loss or validation-mae. */
  public record EarlyStopping(String metric, int patience, double minDelta, boolean restoreBest)
      implements Serializable {
    public boolean enabled() {
      return !metric.equals("none");
    }
  }
}
