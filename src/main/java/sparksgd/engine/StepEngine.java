package sparksgd.engine;

import sparksgd.data.Split;
import sparksgd.model.Metrics;

/**
 * How one synchronous step is carried out over the cached partitions. Implementations differ only
 * in transport (a Spark job per step, or long-lived gang-scheduled tasks); the arithmetic is
 * {@link PartitionWorker}'s and the combination is always in partition order, so every engine gives
 * bit-identical results.
 */
public interface StepEngine extends AutoCloseable {
  String name();

  /**
   * Gradient and loss sums of step {@code step} of {@code epoch} at {@code params}. The gradient array may be
   * the engine's own, reused by the next step: read it (or copy it) before asking for another.
   */
  StepResult step(int epoch, int step, double[] params);

  /**
   * As {@link #step(int, int, double[])}, told that since this engine's previous step only
   * {@code changedSinceLastStep} entries of {@code params} may differ (null: unknown, anything may have
   * changed). An engine whose tasks keep the parameters sends them only those entries.
   */
  default StepResult step(int epoch, int step, double[] params, int[] changedSinceLastStep) {
    return step(epoch, step, params);
  }

  /** Summed metric accumulators ({@link #metrics()}) of a split at {@code params}. */
  double[] evaluate(Split split, double[] params);

  /** How {@link #evaluate} sums are finished into metrics. */
  Metrics metrics();

  @Override
  void close();
}
