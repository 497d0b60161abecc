package sparksgd.optim;

/**
 * Adam as in Kingma &amp; Ba (2015), Algorithm 1, with step t = 1, 2, ...:
 * <pre>
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g^2
 *   mhat = m / (1 - beta1^t),  vhat = v / (1 - beta2^t)
 *   p -= lr * mhat / (sqrt(vhat) + epsilon)
 * </pre>
 * Keras folds the corrections into the rate (the paper's "epsilon-hat" variant), which differs only in
 * how epsilon is scaled; with epsilon = 1e-7 the two agree to many digits.
 */
public final class Adam extends AbstractOptimizer {
  private static final long serialVersionUID = 1L;
  public static final String M = "m";
  public static final String V = "v";

  private final double beta1;
  private final double beta2;
  private final double epsilon;

  public Adam() {
    this(0.9, 0.999, 1e-7, 0.0);
  }

  public Adam(double beta1, double beta2, double epsilon, double weightDecay) {
    super(weightDecay);
    this.beta1 = checkUnitInterval("beta1", beta1);
    this.beta2 = checkUnitInterval("beta2", beta2);
    this.epsilon = checkPositive("epsilon", epsilon);
  }

  @Override
  public String name() {
    return "adam";
  }

  public double beta1() {
    return beta1;
  }

  public double beta2() {
    return beta2;
  }

  public double epsilon() {
    return epsilon;
  }

  @Override
  protected void createSlots(OptimizerState state, int numParams) {
    state.slot(M, numParams);
    state.slot(V, numParams);
  }

  @Override
  protected void update(double[] p, double[] g, int n, OptimizerState state, double lr, long t) {
    double[] m = slot(state, M, n);
    double[] v = slot(state, V, n);
    // 1 - beta^t computed as -expm1(t log beta) stays accurate when beta^t is close to 1.
    double c1 = bias(beta1, t);
    double c2 = bias(beta2, t);
    for (int i = 0; i < n; i++) {
      double gi = g[i];
      double mi = beta1 * m[i] + (1 - beta1) * gi;
      double vi = beta2 * v[i] + (1 - beta2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] -= lr * (mi / c1) / (Math.sqrt(vi / c2) + epsilon);
    }
  }

  private static double bias(double beta, long t) {
    return beta == 0 ? 1.0 : -Math.expm1(t * Math.log(beta));
  }

  @Override
  public String toString() {
    return "adam(beta1=" + beta1 + ", beta2=" + beta2 + ", epsilon=" + epsilon + ", weightDecay="
        + weightDecay() + ")";
  }
}
