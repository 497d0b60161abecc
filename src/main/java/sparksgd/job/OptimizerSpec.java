package sparksgd.job;

import java.io.Serializable;

/**
 * The {@code optimizer} section, including its learning-rate schedule, the elastic-net penalty
 * ({@code l1} = MLlib's regParam, {@code elasticNet} = its elasticNetParam) and global-norm clipping.
 */
public record OptimizerSpec(String type, double learningRate, double momentum, boolean nesterov, double rho,
    double beta1, double beta2, double epsilon, double weightDecay, String schedule, int scheduleEveryEpochs,
    double scheduleGamma, double scheduleMinLearningRate, double l1, double elasticNet, double clipNorm)
    implements Serializable {

  /** Without penalty or clipping (the section as it was before issue 22). */
  public OptimizerSpec(String type, double learningRate, double momentum, boolean nesterov, double rho,
      double beta1, double beta2, double epsilon, double weightDecay, String schedule, int scheduleEveryEpochs,
      double scheduleGamma, double scheduleMinLearningRate) {
    this(type, learningRate, momentum, nesterov, rho, beta1, beta2, epsilon, weightDecay, schedule,
        scheduleEveryEpochs, scheduleGamma, scheduleMinLearningRate, 0.0, 1.0, 0.0);
  }
}
