package sparksgd.job;

import com.fasterxml.jackson.annotation.JsonValue;
import java.io.Serializable;
import sparksgd.model.ConfigNames;

/** The {@code training} section. {@code exchange}: driver, allreduce or auto (gang engine only). */
public record TrainingSpec(int epochs, int batchSize, long seed, int partitions, Engine engine,
    java.time.Duration stepTimeout, EarlyStopping earlyStopping, Exchange exchange,
    sparksgd.model.Precision precision) implements Serializable {

  /** {@code training.engine}: one long-lived barrier stage, or a Spark job per step. */
  public enum Engine {
    AUTO, GANG, JOBS, LOCAL;

    @JsonValue
    @Override
    public String toString() {
      return ConfigNames.of(this);
    }
  }

  /** {@code training.exchange}: how the gang engine sums gradients. */
  public enum Exchange {
    DRIVER, ALLREDUCE, AUTO;

    @JsonValue
    @Override
    public String toString() {
      return ConfigNames.of(this);
    }
  }

  /** {@code training.early-stopping}: {@code metric} is none, validation-loss or validation-mae. */
  public record EarlyStopping(String metric, int patience, double minDelta, boolean restoreBest)
      implements Serializable {
    public boolean enabled() {
      return !metric.equals("none");
    }
  }
}
