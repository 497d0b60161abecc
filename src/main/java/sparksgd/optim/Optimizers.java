package sparksgd.optim;

import java.util.Locale;

/** Builds rules and schedules from config names; the only place that maps names to classes. */
public final class Optimizers {
  private Optimizers() {}

  /** {@code sgd}, {@code rmsprop} or {@code adam}, reading only the settings that rule uses. */
  public static Optimizer create(OptimizerSettings s) {
    String type = s.type() == null ? "" : s.type().trim().toLowerCase(Locale.ROOT);
    switch (type) {
      case "sgd":
        if (s.nesterov() && s.momentum() == 0) {
          throw new IllegalArgumentException("nesterov needs momentum > 0");
        }
        return new Sgd(s.momentum(), s.nesterov(), s.weightDecay());
      case "rmsprop":
        return new RmsProp(s.rho(), s.epsilon(), s.weightDecay());
      case "adam":
        return new Adam(s.beta1(), s.beta2(), s.epsilon(), s.weightDecay());
      default:
        throw new IllegalArgumentException("unknown optimizer '" + s.type() + "'; allowed: sgd, rmsprop, adam");
    }
  }

  /** As {@link #create(OptimizerSettings)}, with the elastic-net penalty and clipping of {@code r}. */
  public static Optimizer create(OptimizerSettings s, Regularization r) {
    return ((AbstractOptimizer) create(s)).regularize(r);
  }

  public static Optimizer create(String type, double momentum, boolean nesterov, double rho, double beta1,
      double beta2, double epsilon, double weightDecay) {
    return create(new OptimizerSettings(type, momentum, nesterov, rho, beta1, beta2, epsilon, weightDecay));
  }
}
