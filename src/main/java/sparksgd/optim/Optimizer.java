package sparksgd.optim;

import java.io.Serializable;

/**
 * An update rule. Stateless itself: whatever it must remember between steps goes into an
 * {@link OptimizerState} it creates and the caller keeps (and checkpoints).
 */
public interface Optimizer extends Serializable {
  /** Config name, e.g. {@code sgd}, {@code rmsprop}, {@code adam}. */
  String name();

  /** Fresh state for a model with {@code numParams} parameters (step 0). */
  OptimizerState initialise(int numParams);

  /**
   * One update in place: {@code grad} is the mean gradient over the global batch (the rule may
   * modify it, e.g. to add weight decay), {@code learningRate} this step's rate from the schedule.
   * Increments {@code state.step()}.
   */
  void step(double[] params, double[] grad, OptimizerState state, double learningRate);

  /**
   * True when a step whose gradient is zero outside a set of entries leaves every other parameter and all
   * state but the step count exactly as they were (plain SGD without momentum, weight decay, penalty or
   * clipping): then {@link #stepTouched} gives the same bits as {@link #step} at the cost of those entries.
   */
  default boolean updatesOnlyTouched() {
    return false;
  }

  /**
   * {@link #step} for a mean gradient that is {@code grad[j]} at {@code touched[j]} (each index once) and
   * zero elsewhere; only when {@link #updatesOnlyTouched()}.
   */
  default void stepTouched(double[] params, int[] touched, double[] grad, OptimizerState state, double learningRate) {
    throw new UnsupportedOperationException(name() + " moves every parameter: it needs the whole gradient");
  }
}
