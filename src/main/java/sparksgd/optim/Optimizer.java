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
}
