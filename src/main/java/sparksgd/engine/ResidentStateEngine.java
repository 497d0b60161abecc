package sparksgd.engine;

import sparksgd.optim.OptimizerState;

/**
 * An engine whose tasks may keep the parameters and optimizer state and apply the update themselves
 * (the gang engine's allreduce exchange): the driver then only starts steps and receives loss sums,
 * and moves the state in and out when it needs it (start, checkpoints, evaluation, the end).
 */
public interface ResidentStateEngine extends StepEngine {
  /** True when the tasks hold the state, i.e. {@link #update} replaces {@link #step}. */
  boolean residentState();

  /** The tasks take {@code params} and {@code state} (copies). */
  void load(double[] params, OptimizerState state);

  /**
   * One step at {@code learningRate}, the update applied on the tasks; the result's gradient is null,
   * loss sum and rows are the whole global batch's.
   */
  StepResult update(int epoch, int step, double learningRate);

  /** Copies the tasks' parameters and optimizer state into {@code params} and {@code state}. */
  void fetch(double[] params, OptimizerState state);
}
