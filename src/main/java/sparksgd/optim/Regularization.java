package sparksgd.optim;

import java.io.Serializable;
import sparksgd.model.ParamLayout;

/**
 * Elastic-net penalty and gradient clipping, the settings every rule shares.
 * <ul>
 *   <li>Penalty, as MLlib defines it: {@code l1 * (elasticNet * ||w||_1 + (1 - elasticNet) / 2 * ||w||_2^2)}
 *   on the {@code penalized} entries only (weights, never biases). {@code l1} is MLlib's regParam,
 *   {@code elasticNet} its elasticNetParam (1 = lasso). Its L2 part is a weight decay of
 *   {@code (1 - elasticNet) * l1} restricted to weights; {@code optimizer.weight-decay} is separate and adds
 *   on top (it decays every parameter, biases included).</li>
 *   <li>{@code clipNorm > 0}: the mean data gradient is scaled to global L2 norm at most {@code clipNorm}
 *   before any penalty or decay is added (as PyTorch's clip_grad_norm_ before a coupled weight decay).</li>
 * </ul>
 * No state: nothing extra goes into checkpoints.
 */
public record Regularization(double l1, double elasticNet, double clipNorm, boolean[] penalized)
    implements Serializable {
  public static final Regularization NONE = new Regularization(0, 1, 0, null);

  public Regularization {
    if (!(l1 >= 0) || Double.isInfinite(l1)) {
      throw new IllegalArgumentException("l1 must be finite and >= 0, got " + l1);
    }
    if (!(elasticNet >= 0 && elasticNet <= 1)) {
      throw new IllegalArgumentException("elastic-net must be in [0, 1], got " + elasticNet);
    }
    if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
      throw new IllegalArgumentException("clip-norm must be finite and >= 0 (0 = off), got " + clipNorm);
    }
  }

  /** The strength of the |w| term: {@code l1 * elasticNet}. */
  public double l1Strength() {
    return l1 * elasticNet;
  }

  /** The strength of the w^2/2 term: {@code l1 * (1 - elasticNet)}. */
  public double l2Strength() {
    return l1 * (1 - elasticNet);
  }

  public boolean isNone() {
    return l1 == 0 && clipNorm == 0;
  }

  /** Whether entry {@code i} is penalized; with no mask every entry is. */
  public boolean penalizes(int i) {
    return penalized == null || (i < penalized.length && penalized[i]);
  }

  /** The same settings penalizing only the weights of {@code layout} (tensors that are not biases). */
  public Regularization weightsOf(ParamLayout layout) {
    return new Regularization(l1, elasticNet, clipNorm, weightMask(layout));
  }

  /** true for every entry of a weight tensor, false for biases (1-D tensors named b1, b2, ...). */
  public static boolean[] weightMask(ParamLayout layout) {
    boolean[] mask = new boolean[layout.totalSize()];
    for (ParamLayout.Tensor t : layout.tensors()) {
      boolean bias = t.shape().length == 1 && t.name().startsWith("b");
      if (!bias) {
        java.util.Arrays.fill(mask, t.offset(), t.offset() + t.size(), true);
      }
    }
    return mask;
  }

  /** Scales {@code g[0, n)} in place to L2 norm at most {@code clipNorm}; returns the norm before. */
  double clip(double[] g, int n) {
    double sq = 0;
    for (int i = 0; i < n; i++) {
      sq += g[i] * g[i];
    }
    double norm = Math.sqrt(sq);
    if (clipNorm > 0 && norm > clipNorm) {
      double scale = clipNorm / norm;
      for (int i = 0; i < n; i++) {
        g[i] *= scale;
      }
    }
    return norm;
  }

  /** Adds the penalty's gradient (subgradient sign(w), 0 at 0, for the L1 part unless {@code proximal}). */
  void addGradient(double[] p, double[] g, int n, boolean proximal) {
    double a = proximal ? 0 : l1Strength();
    double b = l2Strength();
    if (a == 0 && b == 0) {
      return;
    }
    for (int i = 0; i < n; i++) {
      if (penalizes(i)) {
        g[i] += a * Math.signum(p[i]) + b * p[i];
      }
    }
  }

  /** The proximal step of {@code threshold * |w|}: w = sign(w) max(|w| - threshold, 0), so weights reach exact 0. */
  void softThreshold(double[] p, int n, double threshold) {
    if (threshold == 0) {
      return;
    }
    for (int i = 0; i < n; i++) {
      if (penalizes(i)) {
        double w = p[i];
        p[i] = w > threshold ? w - threshold : w < -threshold ? w + threshold : 0.0;
      }
    }
  }
}
