package sparksgd.optim;

/**
 * RMSprop in Keras's (and TensorFlow's) form, epsilon INSIDE the square root:
 * <pre>
 *   v = rho * v + (1 - rho) * g^2
 *   p -= lr * g / sqrt(v + epsilon)
 * </pre>
 * (PyTorch uses {@code sqrt(v) + eps} instead; with Keras's default epsilon 1e-7 the two differ early in
 * training, and the Keras book's model is what we reproduce.)
 */
public final class RmsProp extends AbstractOptimizer {
  private static final long serialVersionUID = 1L;
  public static final String VELOCITY = "velocity";

  private final double rho;
  private final double epsilon;

  public RmsProp() {
    this(0.9, 1e-7, 0.0);
  }

  public RmsProp(double rho, double epsilon, double weightDecay) {
    super(weightDecay);
    this.rho = checkUnitInterval("rho", rho);
    this.epsilon = checkPositive("epsilon", epsilon);
  }

  @Override
  public String name() {
    return "rmsprop";
  }

  public double rho() {
    return rho;
  }

  public double epsilon() {
    return epsilon;
  }

  @Override
  protected void createSlots(OptimizerState state, int numParams) {
    state.slot(VELOCITY, numParams);
  }

  @Override
  protected void update(double[] p, double[] g, int n, OptimizerState state, double lr, long t) {
    double[] v = slot(state, VELOCITY, n);
    for (int i = 0; i < n; i++) {
      double gi = g[i];
      double vi = rho * v[i] + (1 - rho) * gi * gi;
      v[i] = vi;
      p[i] -= lr * gi / Math.sqrt(vi + epsilon);
    }
  }

  @Override
  public String toString() {
    return "rmsprop(rho=" + rho + ", epsilon=" + epsilon + ", weightDecay=" + weightDecay() + ")";
  }
}
