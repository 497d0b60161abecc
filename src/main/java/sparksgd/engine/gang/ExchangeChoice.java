package sparksgd.engine.gang;

import java.util.Locale;
import sparksgd.job.TrainingSpec.Exchange;
import sparksgd.model.ConfigNames;

/**
 * Which gradient exchange a gang-engine run uses ({@code training.exchange}) and why. {@code auto}
 * picks allreduce when the driver would move at least {@link #AUTO_MIN_PARAM_PARTITIONS}
 * parameter-partitions per step (driver mode sends the parameters to, and receives a gradient from,
 * every partition: 16 bytes x parameters x partitions through one process each step); below that
 * the driver's single round trip is faster than the ring's 2(P-1) hops (see the README's cost model).
 */
public record ExchangeChoice(String exchange, String reason) {
  /** Parameters x partitions from which auto picks allreduce: 16 MB through the driver per step. */
  public static final long AUTO_MIN_PARAM_PARTITIONS = 1L << 20;

  /** By config name ({@code driver}, {@code allreduce}, {@code auto}). */
  public static ExchangeChoice choose(String configured, long params, int partitions) {
    return choose(ConfigNames.parse(Exchange.class, "exchange", configured), params, partitions);
  }

  public static ExchangeChoice choose(Exchange configured, long params, int partitions) {
    return choose(configured, params, partitions, false);
  }

  /**
   * {@code sparseTouchedOnly}: the rows are sparse and the update moves only the parameters a step's gradient
   * touches (plain SGD), so driver mode sends each task only those (issue 14's sparse exchange) while the
   * ring would sum dense arrays of every parameter: {@code auto} then keeps the driver whatever the size.
   */
  public static ExchangeChoice choose(Exchange configured, long params, int partitions, boolean sparseTouchedOnly) {
    long load = params * partitions;
    String sizes = String.format(Locale.ROOT, "%,d parameters x %d partitions = %,d", params, partitions, load);
    if (configured != Exchange.AUTO) {
      return new ExchangeChoice(configured.toString(), "training.exchange = " + configured + " (" + sizes + ")");
    }
    if (partitions < 2) {
      return new ExchangeChoice("driver", "auto: one partition, nothing to reduce");
    }
    if (sparseTouchedOnly) {
      return new ExchangeChoice("driver", "auto: sparse rows and an update of the touched parameters only, which "
          + "travel as (index, value) pairs; allreduce would sum all " + String.format(Locale.ROOT, "%,d", params));
    }
    boolean big = load >= AUTO_MIN_PARAM_PARTITIONS;
    return new ExchangeChoice(big ? "allreduce" : "driver", String.format(Locale.ROOT,
        "auto: %s %s %,d, so the driver would move %.1f MB per step", sizes, big ? ">=" : "<",
        AUTO_MIN_PARAM_PARTITIONS, 16.0 * load / 1e6));
  }

  /** The line printed at the start of a run. */
  public String describe() {
    return "exchange: " + exchange + " (" + reason + ")";
  }
}
