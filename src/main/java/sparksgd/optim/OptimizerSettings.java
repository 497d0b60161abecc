package sparksgd.optim;

import java.io.Serializable;

/**
 * Every optimizer setting in one immutable value (each rule reads the ones it uses), so the job
 * section maps onto it field by field. {@link #defaults(String)} gives Keras's defaults.
 */
public record OptimizerSettings(String type, double momentum, boolean nesterov, double rho, double beta1,
    double beta2, double epsilon, double weightDecay) implements Serializable {

  /** Keras defaults: momentum 0, no nesterov, rho 0.9, beta1 0.9, beta2 0.999, epsilon 1e-7, no decay. */
  public static OptimizerSettings defaults(String type) {
    return new OptimizerSettings(type, 0.0, false, 0.9, 0.9, 0.999, 1e-7, 0.0);
  }

  public OptimizerSettings withWeightDecay(double wd) {
    return new OptimizerSettings(type, momentum, nesterov, rho, beta1, beta2, epsilon, wd);
  }

  public OptimizerSettings withMomentum(double m, boolean nest) {
    return new OptimizerSettings(type, m, nest, rho, beta1, beta2, epsilon, weightDecay);
  }
}
