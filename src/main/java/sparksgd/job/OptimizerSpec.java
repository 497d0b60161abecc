package sparksgd.job;

import java.io.Serializable;
import sparksgd.optim.OptimizerSettings;
import sparksgd.optim.OptimizerType;
import sparksgd.optim.ScheduleType;

/**
 * The {@code optimizer} section, including its learning-rate schedule, the elastic-net penalty
 * ({@code l1} = MLlib's regParam, {@code elasticNet} = its elasticNetParam) and global-norm clipping.
 */
public record OptimizerSpec(OptimizerType type, double learningRate, double momentum, boolean nesterov, double rho,
    double beta1, double beta2, double epsilon, double weightDecay, ScheduleType schedule, int scheduleEveryEpochs,
    double scheduleGamma, double scheduleMinLearningRate, double l1, double elasticNet, double clipNorm)
    implements Serializable {

  /** The update rule's settings (the schedule, penalty and clipping are applied apart). */
  public OptimizerSettings settings() {
    return new OptimizerSettings(type.toString(), momentum, nesterov, rho, beta1, beta2, epsilon, weightDecay);
  }
}
