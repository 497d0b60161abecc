package sparksgd.optim;

import sparksgd.model.ConfigNames;

/** Builds rules and schedules from config names; the only place that maps names to classes. */
public final class Optimizers {
  private Optimizers() {}

  /** {@code sgd}, {@code rmsprop} or {@code adam}, reading only the settings that rule uses. */
  public static Optimizer create(OptimizerSettings s) {
    return switch (ConfigNames.parse(OptimizerType.class, "optimizer", s.type())) {
      case SGD -> {
        if (OptimizerType.nesterovWithoutMomentum(s.momentum(), s.nesterov())) {
          throw new IllegalArgumentException("nesterov needs momentum > 0");
        }
        yield new Sgd(s.momentum(), s.nesterov(), s.weightDecay());
      }
      case RMSPROP -> new RmsProp(s.rho(), s.epsilon(), s.weightDecay());
      case ADAM -> new Adam(s.beta1(), s.beta2(), s.epsilon(), s.weightDecay());
    };
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
