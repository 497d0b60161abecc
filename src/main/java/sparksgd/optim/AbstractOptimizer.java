package sparksgd.optim;

/**
 * The one place that turns a mean gradient into an update: checks, clipping of the mean gradient to a
 * global norm ({@link Regularization}), L2 weight decay ({@code grad += weightDecay * params}, applied to
 * every parameter including biases, before the rule, as Keras's/PyTorch's coupled {@code weight_decay}
 * does), the elastic-net penalty on weights (its gradient before the rule; for a {@link #proximal()} rule
 * the L1 part as a soft-thresholding step after it), the rule itself, and the step count.
 */
public abstract class AbstractOptimizer implements Optimizer {
  private static final long serialVersionUID = 1L;

  private final double weightDecay;
  private Regularization regularization = Regularization.NONE;

  protected AbstractOptimizer(double weightDecay) {
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException("weight-decay must be finite and >= 0, got " + weightDecay);
    }
    this.weightDecay = weightDecay;
  }

  public double weightDecay() {
    return weightDecay;
  }

  public Regularization regularization() {
    return regularization;
  }

  /** Sets the penalty and clipping (once, before training); returns this rule. */
  public AbstractOptimizer regularize(Regularization r) {
    this.regularization = r == null ? Regularization.NONE : r;
    return this;
  }

  /**
   * Whether the rule applies the L1 part as a proximal step (exact zeros) rather than a subgradient:
   * plain SGD does; adaptive rules scale each coordinate differently, so they take the subgradient.
   */
  protected boolean proximal() {
    return false;
  }

  @Override
  public OptimizerState initialise(int numParams) {
    if (numParams < 0) {
      throw new IllegalArgumentException("numParams must be >= 0, got " + numParams);
    }
    OptimizerState s = new OptimizerState();
    createSlots(s, numParams);
    return s;
  }

  /** Creates the rule's zero-filled slots so a checkpoint of step 0 already has them. */
  protected abstract void createSlots(OptimizerState state, int numParams);

  @Override
  public final void step(double[] params, double[] grad, OptimizerState state, double learningRate) {
    if (grad.length < params.length) {
      throw new IllegalArgumentException("gradient has " + grad.length + " values, parameters " + params.length);
    }
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + learningRate);
    }
    int n = params.length;
    Regularization reg = regularization;
    if (reg.clipNorm() > 0) {
      reg.clip(grad, n);
    }
    if (weightDecay != 0) {
      for (int i = 0; i < n; i++) {
        grad[i] += weightDecay * params[i];
      }
    }
    boolean prox = proximal();
    reg.addGradient(params, grad, n, prox);
    long t = state.step() + 1;
    update(params, grad, n, state, learningRate, t);
    if (prox) {
      reg.softThreshold(params, n, learningRate * reg.l1Strength());
    }
    state.setStep(t);
  }

  @Override
  public final boolean updatesOnlyTouched() {
    return weightDecay == 0 && regularization.isNone() && ruleUpdatesOnlyTouched();
  }

  /** Whether the rule itself moves a parameter only where the gradient is nonzero, and keeps no other state. */
  protected boolean ruleUpdatesOnlyTouched() {
    return false;
  }

  @Override
  public final void stepTouched(double[] params, int[] touched, double[] grad, OptimizerState state,
      double learningRate) {
    if (!updatesOnlyTouched()) {
      throw new UnsupportedOperationException(this + " moves every parameter: it needs the whole gradient");
    }
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + learningRate);
    }
    long t = state.step() + 1;
    updateTouched(params, touched, grad, learningRate);
    state.setStep(t);
  }

  /** The rule on the touched entries only (rules whose {@link #ruleUpdatesOnlyTouched()} is true). */
  protected void updateTouched(double[] params, int[] touched, double[] grad, double lr) {
    throw new UnsupportedOperationException(name());
  }

  /**
   * The rule proper on {@code params[0, n)} with the (decayed) gradient; {@code t} is the 1-based number
   * of this step (what Adam's bias correction needs).
   */
  protected abstract void update(double[] params, double[] grad, int n, OptimizerState state, double lr, long t);

  /** The named slot, checked to match the parameter count (a restored state may come from another model). */
  protected static double[] slot(OptimizerState state, String name, int n) {
    double[] a = state.slot(name, n);
    if (a.length != n) {
      throw new IllegalArgumentException("optimizer state slot '" + name + "' has " + a.length
          + " values but the model has " + n + " parameters");
    }
    return a;
  }

  static double checkUnitInterval(String setting, double v) {
    if (!(v >= 0 && v < 1)) {
      throw new IllegalArgumentException(setting + " must be in [0, 1), got " + v);
    }
    return v;
  }

  static double checkPositive(String setting, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(setting + " must be finite and > 0, got " + v);
    }
    return v;
  }
}
