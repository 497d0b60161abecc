package sparksgd.optim;

import sparksgd.model.ConfigNames;

/** The update rules by config name ({@code optimizer.type}). */
public enum OptimizerType {
  SGD, RMSPROP, ADAM;

  /** Nesterov momentum needs momentum: the one place this rule is stated. */
  public static boolean nesterovWithoutMomentum(double momentum, boolean nesterov) {
    return nesterov && momentum == 0;
  }

  @Override
  public String toString() {
    return ConfigNames.of(this);
  }
}
