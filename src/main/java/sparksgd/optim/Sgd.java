package sparksgd.optim;

/**
 * Stochastic gradient descent with optional (Nesterov) momentum, in Keras's formulation:
 * <pre>
 *   momentum = 0:  p -= lr * g
 *   otherwise:     v = momentum * v - lr * g
 *                  p += v                         (classical)
 *                  p += momentum * v - lr * g     (nesterov, with the new v)
 * </pre>
 * Keras stores the velocity with the learning rate folded in (unlike PyTorch), so a schedule that
 * changes lr scales only new gradients, not the remembered velocity.
 */
public final class Sgd extends AbstractOptimizer {
  private static final long serialVersionUID = 1L;
  public static final String VELOCITY = "velocity";

  private final double momentum;
  private final boolean nesterov;

  public Sgd() {
    this(0.0, false, 0.0);
  }

  public Sgd(double momentum, boolean nesterov, double weightDecay) {
    super(weightDecay);
    this.momentum = checkUnitInterval("momentum", momentum);
    this.nesterov = nesterov;
  }

  @Override
  public String name() {
    return "sgd";
  }

  public double momentum() {
    return momentum;
  }

  public boolean nesterov() {
    return nesterov;
  }

  /** Soft-thresholding after the step (also after a momentum step, with the same threshold lr * l1). */
  @Override
  protected boolean proximal() {
    return true;
  }

  @Override
  protected void createSlots(OptimizerState state, int numParams) {
    if (momentum > 0) {
      state.slot(VELOCITY, numParams);
    }
  }

  /** Without momentum a zero gradient moves nothing ({@code p - lr * 0.0} is p, bit for bit). */
  @Override
  protected boolean ruleUpdatesOnlyTouched() {
    return momentum == 0;
  }

  @Override
  protected void updateTouched(double[] p, int[] touched, double[] g, double lr) {
    for (int j = 0; j < touched.length; j++) {
      p[touched[j]] -= lr * g[j];
    }
  }

  @Override
  protected void update(double[] p, double[] g, int n, OptimizerState state, double lr, long t) {
    if (momentum == 0) {
      for (int i = 0; i < n; i++) {
        p[i] -= lr * g[i];
      }
      return;
    }
    double[] v = slot(state, VELOCITY, n);
    for (int i = 0; i < n; i++) {
      double vi = momentum * v[i] - lr * g[i];
      v[i] = vi;
      p[i] += nesterov ? momentum * vi - lr * g[i] : vi;
    }
  }

  @Override
  public String toString() {
    return "sgd(momentum=" + momentum + ", nesterov=" + nesterov + ", weightDecay=" + weightDecay() + ")";
  }
}
