package sparksgd.optim;

import sparksgd.model.Precision;

/**
 * An update rule whose parameters live at a narrower precision: the inner rule updates in double, then
 * every parameter is rounded to the nearest float (for {@code training.precision = float32}).
 *
 * <p>Why the update and the optimizer state stay double: they live on the driver only (one copy of the
 * state, never sent, so float32 would save nothing that matters), and in float the rules would lose
 * what they exist to keep: RMSprop's and Adam's running means of g^2 reach 1e-12 and below, where float's
 * 24-bit mantissa (and subnormal range) turns {@code v + epsilon} and {@code sqrt} into coarse steps,
 * and Adam's bias correction {@code 1 - beta2^t} is computed from a number within 1e-3 of 1. Rounding
 * once per update, after the double arithmetic, is also what makes the result independent of how
 * the update was evaluated. The tasks, the wire and the saved files see only the rounded floats.
 */
public final class RoundingOptimizer implements Optimizer {
  private static final long serialVersionUID = 1L;
  private final Optimizer inner;
  private final Precision precision;

  public RoundingOptimizer(Optimizer inner, Precision precision) {
    this.inner = inner;
    this.precision = precision;
  }

  /** {@code inner} itself for float64 (nothing to round), else the rounding wrapper. */
  public static Optimizer at(Optimizer inner, Precision precision) {
    return precision == Precision.FLOAT64 ? inner : new RoundingOptimizer(inner, precision);
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public OptimizerState initialise(int numParams) {
    return inner.initialise(numParams);
  }

  @Override
  public void step(double[] params, double[] grad, OptimizerState state, double learningRate) {
    inner.step(params, grad, state, learningRate);
    precision.round(params);
  }

  @Override
  public String toString() {
    return inner + " at " + precision;
  }
}
