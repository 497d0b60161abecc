package sparksgd.job;

import java.io.Serializable;

/** The {@code training} section. {@code exchange}: driver, allreduce or auto (gang engine only). */
public record TrainingSpec(int epochs, int batchSize, long seed, int partitions, String engine,
    java.time.Duration stepTimeout, EarlyStopping earlyStopping, String exchange,
    sparksgd.model.Precision precision) implements Serializable {

  /** Without {@code training.exchange} and {@code training.precision}: auto, float64. */
  public TrainingSpec(int epochs, int batchSize, long seed, int partitions, String engine,
      java.time.Duration stepTimeout, EarlyStopping earlyStopping) {
    this(epochs, batchSize, seed, partitions, engine, stepTimeout, earlyStopping, "auto",
        sparksgd.model.Precision.FLOAT64);
  }

  /** Without {@code training.exchange}: auto. */
  public TrainingSpec(int epochs, int batchSize, long seed, int partitions, String engine,
      java.time.Duration stepTimeout, EarlyStopping earlyStopping, sparksgd.model.Precision precision) {
    this(epochs, batchSize, seed, partitions, engine, stepTimeout, earlyStopping, "auto", precision);
  }

  /** {@code training.early-stopping}: {@code metric} is none, validation-loss or validation-mae. */
  public record EarlyStopping(String metric, int patience, double minDelta, boolean restoreBest)
      implements Serializable {
    public boolean enabled() {
      return !metric.equals("none");
    }
  }
}
